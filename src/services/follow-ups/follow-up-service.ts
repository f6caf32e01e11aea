/**
 * Follow-up calls (回访): plans them for saved cases (from the grade, domain/follow-ups), records
 * each attempt's outcome and carries out what it decides: the next attempt, the work order's
 * follow-up event through the WorkOrderService (closes 办结, reopens 重新办理, or a new order), and
 * a supervisor alert when the last attempt of a 一级/二级 case failed. The dialling itself is the
 * FollowUpDialler's; the due times are the FollowUpTimers'.
 */
import type { Logger } from 'pino';
import { decideOutcome, type AttemptOutcome, type FollowUpCommand } from '../../domain/follow-ups/follow-up-outcome.ts';
import { firstDue, maxAttempts, wantsFollowUp, type FollowUpPolicy } from '../../domain/follow-ups/follow-up-schedule.ts';
import { maskNumber } from '../../domain/calls/mask.ts';
import { AuthError, ConflictError, NotFoundError } from '../../errors.ts';
import type { AuditLog, Principal } from '../../ports/auth.ts';
import type { CaseStore } from '../../ports/cases.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FollowUpRecord, FollowUpStore, NewFollowUp } from '../../ports/follow-ups.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { FollowUpDetailResponse, FollowUpOutcomeRequest, FollowUpView, FollowUpsResponse } from '../../wire/follow-ups.ts';
import type { WorkOrderService } from '../work-orders/work-order-service.ts';

const GRADE_NAMES = ['', '一级', '二级', '三级', '四级'];
const OUTCOME_NAMES: Record<AttemptOutcome, string> = {
  'reached-safe': '已联系，安全', 'needs-help': '需要进一步帮助', 'not-reached': '未接通', declined: '拒绝回访', 'wrong-number': '号码错误',
};

export interface FollowUpServiceDeps {
  store: FollowUpStore;
  cases: Pick<CaseStore, 'get'>;
  workOrders: Pick<WorkOrderService, 'applyFollowUp' | 'openForFollowUp' | 'ordersOfCase'>;
  notifier: Notifier;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  policy: FollowUpPolicy;
  /** Sets the due-time job of a new attempt (FollowUpTimers.schedule). */
  schedule: (f: Pick<FollowUpRecord, 'id' | 'dueAt'>) => Promise<void>;
}

export const followUpId = (caseId: string, attempt: number): string => `${caseId}-${attempt}`;

export function followUpView(f: FollowUpRecord): FollowUpView {
  return {
    id: f.id, caseId: f.caseId, orderId: f.orderId, attempt: f.attempt, maxAttempts: f.maxAttempts, grade: f.grade, dueAt: f.dueAt,
    startedAt: f.startedAt, endedAt: f.endedAt, counsellorId: f.counsellorId, callId: f.callId, dialResult: f.dialResult,
    outcome: f.outcome, satisfied: f.satisfied, alertedAt: f.alertedAt,
  };
}

export class FollowUpService {
  constructor(private readonly d: FollowUpServiceDeps) {}

  /**
   * Attempt 1 for each saved case that wants a follow-up and has none yet; and a new series for
   * each work order that began waiting for its follow-up (回访) after the case's earlier attempts.
   */
  async planNew(): Promise<number> {
    let planned = 0;
    const now = this.d.clock.now().toISOString();
    for (const c of await this.d.store.unplannedCases(100)) {
      if (!wantsFollowUp(c, this.d.policy)) continue;
      const due = firstDue(c.grade, new Date(c.savedAt), this.d.policy);
      if (!due) continue;
      const f = { id: followUpId(c.caseId, 1), caseId: c.caseId, attempt: 1, maxAttempts: maxAttempts(c.grade, this.d.policy), grade: c.grade, dueAt: due.toISOString() };
      if (await this.plan({ ...f, createdAt: now })) planned++;
    }
    for (const o of await this.d.store.unplannedOrders(100)) {
      if (!wantsFollowUp(o, this.d.policy)) continue;
      const due = firstDue(o.grade, new Date(o.awaitingSince), this.d.policy);
      if (!due) continue;
      const attempt = o.lastAttempt + 1;
      const f = {
        id: followUpId(o.caseId, attempt), caseId: o.caseId, orderId: o.orderId, attempt, maxAttempts: o.lastAttempt + maxAttempts(o.grade, this.d.policy),
        grade: o.grade, dueAt: due.toISOString(),
      };
      if (await this.plan({ ...f, createdAt: now })) planned++;
    }
    return planned;
  }

  private async plan(f: NewFollowUp): Promise<boolean> {
    if (!(await this.d.store.add(f))) return false;
    this.d.log.info({ followUpId: f.id, caseId: f.caseId, orderId: f.orderId ?? null, attempt: f.attempt, grade: f.grade, dueAt: f.dueAt }, 'follow-up planned');
    await this.d.schedule(f);
    return true;
  }

  async open(): Promise<FollowUpRecord[]> {
    return this.d.store.open(500);
  }

  async list(): Promise<FollowUpsResponse> {
    return { open: (await this.d.store.open(200)).map(followUpView), recent: (await this.d.store.recent(100)).map(followUpView) };
  }

  /** The attempt with its case: supervisors and admins any, a counsellor the one they are making. */
  async detail(id: string, who: Principal): Promise<FollowUpDetailResponse> {
    const f = await this.visible(id, who);
    const c = await this.d.cases.get(f.caseId);
    if (!c) throw new NotFoundError('follow-up-not-found', `no follow-up ${id}`);
    return {
      followUp: followUpView(f),
      case: { caseId: c.id, callId: c.callId, grade: c.grade, categories: [...c.categories], summary: c.summary, callerNumber: c.callerNumber ? maskNumber(c.callerNumber) : null },
    };
  }

  /** The counsellor who made the call (or a supervisor) records what came of it. */
  async record(id: string, who: Principal, body: FollowUpOutcomeRequest): Promise<FollowUpView> {
    const f = await this.visible(id, who);
    if (f.outcome !== null) throw new ConflictError('follow-up-recorded', `follow-up ${id} is recorded already`);
    if (who.role === 'counsellor' && f.dialResult !== 'connected') {
      throw new ConflictError('follow-up-not-connected', 'only a follow-up call that reached the person is recorded by its counsellor');
    }
    await this.d.audit.append({
      actor: who.userId, role: who.role, action: 'follow-up-outcome', target: id, data: { caseId: f.caseId, attempt: f.attempt, outcome: body.outcome, satisfied: body.satisfied ?? null },
    });
    return followUpView(await this.apply(f, body.outcome, body.outcome === 'reached-safe' ? (body.satisfied ?? null) : null, who.userId, body.note));
  }

  /** The dialler did not reach the person: `not-reached`, decided like any outcome (next attempt or alert). */
  async notReached(f: FollowUpRecord): Promise<void> {
    await this.apply(f, 'not-reached', null, 'system', undefined).catch((err: unknown) => {
      if (!(err instanceof ConflictError)) throw err;
    });
    this.d.notifier.publish({ type: 'follow-up', followUpId: f.id, caseId: f.caseId, counsellorId: f.counsellorId, change: 'not-reached' });
  }

  private async apply(f: FollowUpRecord, outcome: AttemptOutcome, satisfied: boolean | null, by: string, note: string | undefined): Promise<FollowUpRecord> {
    const at = this.d.clock.now();
    const order = (await this.d.workOrders.ordersOfCase(f.caseId)).filter((o) => o.status !== 'discarded').at(-1) ?? null;
    const done = await this.d.store.finish(f.id, { outcome, satisfied, orderId: order?.id ?? null, recordedBy: by, at: at.toISOString() });
    if (!done) throw new ConflictError('follow-up-recorded', `follow-up ${f.id} is recorded already`);
    const log = this.d.log.child({ followUpId: f.id, caseId: f.caseId, attempt: f.attempt });
    log.info({ outcome, satisfied, orderId: order?.id ?? null }, 'follow-up outcome recorded');
    const commands = decideOutcome({ grade: f.grade, attempt: f.attempt, lastAttempt: f.maxAttempts, outcome, satisfied, endedAt: at, orderStatus: order?.status ?? null }, this.d.policy);
    for (const c of commands) {
      // One command failing (an order moved on meanwhile) does not stop the others (the alert above all).
      await this.exec(done, c, order?.id ?? null, note).catch((err: unknown) => log.error({ err, command: c.type }, 'follow-up command failed'));
    }
    this.d.notifier.publish({ type: 'follow-up', followUpId: f.id, caseId: f.caseId, counsellorId: f.counsellorId, change: 'recorded' });
    return done;
  }

  private async exec(f: FollowUpRecord, c: FollowUpCommand, orderId: string | null, note: string | undefined): Promise<void> {
    const text = `回访第${f.attempt}次：${OUTCOME_NAMES[f.outcome ?? 'not-reached']}${f.satisfied === true ? '，满意' : f.satisfied === false ? '，不满意' : ''}${note?.trim() ? `。${note.trim()}` : ''}`;
    switch (c.type) {
      case 'schedule-attempt': {
        const next = { id: followUpId(f.caseId, c.attempt), caseId: f.caseId, attempt: c.attempt, maxAttempts: f.maxAttempts, grade: f.grade, dueAt: c.dueAt };
        if (await this.d.store.add({ ...next, createdAt: this.d.clock.now().toISOString() })) await this.d.schedule(next);
        return;
      }
      case 'record-on-order':
        if (orderId) await this.d.workOrders.applyFollowUp(orderId, { type: 'record-follow-up', outcome: c.outcome, note: text });
        return;
      case 'reopen-order':
        if (orderId) await this.d.workOrders.applyFollowUp(orderId, { type: 'reopen', reason: text });
        return;
      case 'open-order':
        await this.d.workOrders.openForFollowUp(f.caseId);
        return;
      case 'alert-supervisors': {
        const why = c.reason === 'wrong-number' ? '号码错误' : `${f.attempt}次均未接通`;
        this.d.notifier.publish({
          type: 'alert', severity: f.grade === 1 ? 'critical' : 'warning', code: 'follow-up-failed',
          message: `${GRADE_NAMES[f.grade] ?? ''}个案 ${f.caseId} 回访未能联系到当事人（${why}），请主管跟进`,
        });
        await this.d.store.markAlerted(f.id, this.d.clock.now().toISOString());
        return;
      }
    }
  }

  private async visible(id: string, who: Principal): Promise<FollowUpRecord> {
    const f = await this.d.store.get(id);
    if (!f) throw new NotFoundError('follow-up-not-found', `no follow-up ${id}`);
    if (who.role === 'counsellor' && f.counsellorId !== who.userId) throw new NotFoundError('follow-up-not-found', `no follow-up ${id}`);
    if (who.role === 'centre') throw new AuthError('forbidden', 'centre staff do not make follow-up calls');
    return f;
  }
}
