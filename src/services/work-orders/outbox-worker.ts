/**
 * Delivers the work-order outbox: each message to its channels (the centre's signed webhook and
 * e-mail, the supervisors' dashboard alert, the deadline timers), with retries and backoff, and
 * sets a message aside after too many failures with a supervisor alert.
 *
 * Delivery is at least once, made harmless by ids: each channel is marked `sending` before and
 * `sent` after its send in the database, so a channel sent once is never sent again, and one a
 * crash left `sending` is sent again under the same event id (webhook header, e-mail Message-ID)
 * for the receiver to drop as a repeat. Several instances run this worker at once: claims are
 * leases (see OutboxDelivery).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { afterFailure, DEFAULT_RETRY, type RetryPolicy } from '../../domain/work-orders/delivery-retry.ts';
import { centreText, planDelivery, type CentreMessage, type DeliveryChannel } from '../../domain/work-orders/order-notifications.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { CentreContact, ClaimedMessage, Mailer, OutboxDelivery, WebhookSender } from '../../ports/order-delivery.ts';
import type { WorkOrderStore } from '../../ports/work-orders.ts';
import type { DeadlineTimers } from './deadline-timers.ts';

export interface OutboxWorkerDeps {
  outbox: OutboxDelivery;
  orders: Pick<WorkOrderStore, 'get'>;
  contacts: (centreId: string) => CentreContact | null;
  webhook: WebhookSender;
  /** Null when no SMTP relay is configured: e-mail addresses are then skipped with a warning. */
  mailer: Mailer | null;
  timers: Pick<DeadlineTimers, 'applyCommand'>;
  notifier: Notifier;
  clock: Clock;
  log: Logger;
  owner?: string;
  retry?: RetryPolicy;
  /** How long a claim holds a message: longer than the slowest send (webhook and SMTP timeouts). */
  leaseMs?: number;
  pollMs?: number;
  batch?: number;
}

/** Stable per outbox row: the receivers' de-duplication key. */
export function eventIdOf(m: { id: number; createdAt: string }): string {
  return `wo-${m.id}-${new Date(m.createdAt).getTime().toString(36)}`;
}

export class OutboxWorker {
  readonly owner: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private warnedNoMailer = false;

  constructor(private readonly d: OutboxWorkerDeps) {
    this.owner = d.owner ?? `outbox-${randomUUID()}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the message being sent, gives back the rest of the batch, and stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.runOnce();
      } catch (err) {
        this.d.log.warn({ err }, 'outbox: claiming failed; trying again');
      }
      if (handled === 0 && this.running) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, this.d.pollMs ?? 1000);
          this.wake = () => (clearTimeout(t), r());
        });
        this.wake = null;
      }
    }
  }

  /** One pass: claims a batch and delivers it. Returns how many messages it handled. */
  async runOnce(): Promise<number> {
    const batch = await this.d.outbox.claim(this.owner, this.d.batch ?? 10, this.d.clock.now(), this.d.leaseMs ?? 60_000);
    let handled = 0;
    for (const m of batch) {
      if (!this.running && this.loop !== null) break;
      await this.deliver(m);
      handled += 1;
    }
    const left = batch.slice(handled).map((m) => m.id);
    if (left.length > 0) await this.d.outbox.release(left, this.owner).catch(() => undefined);
    return handled;
  }

  private async deliver(m: ClaimedMessage): Promise<void> {
    const log = this.d.log.child({ outboxId: m.id, orderId: m.orderId, command: m.command.type });
    try {
      for (const [channel, send] of await this.steps(m, log)) {
        if (m.channels[channel] === 'sent') continue;
        if (m.channels[channel] === 'sending') log.warn({ channel }, 'outbox: a send was interrupted; sending again under the same event id');
        await this.d.outbox.markSending(m.id, channel, this.d.clock.now());
        await send();
        await this.d.outbox.markSent(m.id, channel, this.d.clock.now());
      }
      await this.d.outbox.complete(m.id, this.owner, this.d.clock.now());
      log.info('outbox: delivered');
    } catch (err) {
      await this.failed(m, err, log);
    }
  }

  private async failed(m: ClaimedMessage, err: unknown, log: Logger): Promise<void> {
    const now = this.d.clock.now();
    const decision = afterFailure(m.attempts + 1, now, this.d.retry ?? DEFAULT_RETRY);
    const error = err instanceof Error ? err.message : String(err);
    try {
      await this.d.outbox.fail(m.id, this.owner, error, decision.kind === 'retry' ? decision.at : null, now);
    } catch (markErr) {
      // The lease runs out and another pass tries again.
      log.warn({ err: markErr }, 'outbox: could not record a failed delivery');
      return;
    }
    if (decision.kind === 'retry') {
      log.warn({ err, attempts: m.attempts + 1, retryAt: decision.at.toISOString() }, 'outbox: delivery failed; will retry');
      return;
    }
    log.error({ err, attempts: m.attempts + 1 }, 'outbox: delivery failed too often; set aside (dead letter)');
    this.d.notifier.publish({
      type: 'alert', severity: 'critical', code: 'order-notification-failed',
      message: `工单 ${m.orderId} 的通知多次发送失败，已停止重试，请人工联系（${error.slice(0, 120)}）`,
    });
  }

  /** The channels of a message, in the order they are sent, each with its send. */
  private async steps(m: ClaimedMessage, log: Logger): Promise<Array<[DeliveryChannel, () => Promise<void>]>> {
    const plan = planDelivery(m.orderId, m.command);
    const steps: Array<[DeliveryChannel, () => Promise<void>]> = [];
    if (plan.timers) steps.push(['timers', () => this.d.timers.applyCommand(m.orderId, m.command)]);
    if (plan.alert) {
      const alert = plan.alert;
      steps.push(['alert', async () => this.d.notifier.publish({ type: 'alert', ...alert })]);
    }
    if (plan.centre) steps.push(...(await this.centreSteps(m, plan.centre, log)));
    return steps;
  }

  private async centreSteps(m: ClaimedMessage, msg: CentreMessage, log: Logger): Promise<Array<[DeliveryChannel, () => Promise<void>]>> {
    const contact = this.d.contacts(msg.centreId);
    if (!contact) {
      log.warn({ centreId: msg.centreId }, 'outbox: the centre is not in the directory; nothing sent');
      return [];
    }
    const order = await this.d.orders.get(m.orderId);
    const deadline = msg.deadline ?? (order?.state.deadline ? { kind: order.state.deadline.kind, dueAt: order.state.deadline.dueAt } : null);
    const { subject, text } = centreText(m.orderId, msg, msg.type === 'order.withdrawn' ? null : deadline);
    const eventId = eventIdOf(m);
    const steps: Array<[DeliveryChannel, () => Promise<void>]> = [];
    if (contact.webhook) {
      const webhook = contact.webhook;
      const body = {
        id: eventId, type: msg.type, occurredAt: m.createdAt, orderId: m.orderId, centreId: msg.centreId,
        ...(msg.level ? { level: msg.level } : {}),
        grade: order?.state.grade ?? null, deadline: msg.type === 'order.withdrawn' ? null : deadline, subject, text,
      };
      steps.push(['webhook', () => this.d.webhook.send({ url: webhook.url, secret: webhook.secret, eventId, body })]);
    }
    if (contact.emails.length > 0) {
      const mailer = this.d.mailer;
      if (mailer) {
        steps.push(['email', () => mailer.send({ eventId, to: contact.emails, subject, text })]);
      } else if (!this.warnedNoMailer) {
        this.warnedNoMailer = true;
        log.warn('outbox: centres have e-mail addresses but no SMTP relay is configured (SMTP_URL); e-mail is skipped');
      }
    }
    return steps;
  }
}
