/**
 * What each outbox command becomes when it is delivered: a message to a centre (webhook and
 * e-mail), an alert on the supervisor dashboard, work for the deadline timers, or nothing here.
 * Messages carry no personal data (no summary, no number): the centre reads the order on its page.
 * Pure.
 */
import type { DeadlineKind } from './deadlines.ts';
import type { OrderCommand } from './order-types.ts';

export type DeliveryChannel = 'webhook' | 'email' | 'alert' | 'timers';

export type CentreMessageType =
  | 'order.dispatched' | 'order.reopened' | 'order.sent-back' | 'order.withdrawn' | 'order.reminder' | 'order.overdue';

export interface CentreMessage {
  centreId: string;
  type: CentreMessageType;
  /** 1 or 2 for `order.overdue` (督办, 二级督办). */
  level?: 1 | 2;
  deadline?: { kind: DeadlineKind; dueAt: string };
}

export interface SupervisorAlert {
  severity: 'warning' | 'critical';
  code: string;
  message: string;
}

/** What one command asks of the delivery: any of a centre message, an alert, timer work. */
export interface DeliveryPlan {
  centre: CentreMessage | null;
  alert: SupervisorAlert | null;
  timers: boolean;
}

const KIND_LABEL: Record<DeadlineKind, string> = { accept: '签收', reply: '回复' };

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai (UTC+8, no daylight saving). */
export function shanghaiTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function planDelivery(orderId: string, command: OrderCommand): DeliveryPlan {
  const none: DeliveryPlan = { centre: null, alert: null, timers: false };
  switch (command.type) {
    case 'notify-centre':
      return { ...none, centre: { centreId: command.centreId, type: `order.${command.reason}` } };
    case 'raise-supervision-alert': {
      const what = `${KIND_LABEL[command.kind]}时限 ${shanghaiTime(command.dueAt)}`;
      return {
        ...none,
        centre: { centreId: command.centreId, type: 'order.overdue', level: command.level, deadline: { kind: command.kind, dueAt: command.dueAt } },
        alert: command.level === 1
          ? { severity: 'warning', code: 'order-overdue', message: `督办：工单 ${orderId}（${command.centreId}）已超过${what}` }
          : { severity: 'critical', code: 'order-overdue-second-level', message: `二级督办：工单 ${orderId}（${command.centreId}）超过${what}仍未办理` },
      };
    }
    case 'notify-supervisors': {
      const messages = {
        'confirm-dispatch': `工单 ${orderId} 由系统按风险等级创建，请确认派单中心`,
        returned: `工单 ${orderId} 被中心退单，请重新派单`,
        replied: `工单 ${orderId} 中心已回复，请审核`,
        'follow-up-due': `工单 ${orderId} 待回访`,
      } as const;
      return { ...none, alert: { severity: 'warning', code: `order-${command.reason}`, message: messages[command.reason] } };
    }
    case 'schedule-deadline':
    case 'cancel-deadline':
      return { ...none, timers: true };
    case 'schedule-follow-up':
      // The follow-up calls (回访) read orders awaiting follow-up themselves (FollowUpService.planNew).
      return none;
  }
}

/** The Chinese text of a centre message (e-mail body, webhook `text`). */
export function centreText(orderId: string, m: CentreMessage, deadline: { kind: DeadlineKind; dueAt: string } | null): { subject: string; text: string } {
  const due = deadline ? `${KIND_LABEL[deadline.kind]}时限：${shanghaiTime(deadline.dueAt)}（北京时间）` : '';
  const lines: Record<CentreMessageType, [string, string]> = {
    'order.dispatched': ['新工单', `工单 ${orderId} 已派至本中心，请登录12355工单页面签收。${due}`],
    'order.reopened': ['工单重新办理', `工单 ${orderId} 回访未解决，已重新交本中心办理，请重新签收。${due}`],
    'order.sent-back': ['回复被退回', `工单 ${orderId} 的回复未通过审核，请继续办理。${due}`],
    'order.withdrawn': ['工单已改派', `工单 ${orderId} 已改派其他中心，本中心无需再办理。`],
    'order.reminder': ['催办', `催办：工单 ${orderId} 即将超时，请尽快处理。${due}`],
    'order.overdue': [m.level === 2 ? '二级督办' : '督办', `${m.level === 2 ? '二级督办' : '督办'}：工单 ${orderId} 已超过${due || '时限'}，请立即处理。`],
  };
  const [title, text] = lines[m.type];
  return { subject: `【12355工单】${title} ${orderId}`, text };
}
