import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryChannel } from '../../../src/domain/work-orders/order-notifications.ts';
import type { OrderCommand } from '../../../src/domain/work-orders/order-types.ts';
import { InProcessNotifier, type HotlineEvent } from '../../../src/ports/notifier.ts';
import type { CentreContact, MailMessage, WebhookDelivery } from '../../../src/ports/order-delivery.ts';
import { eventIdOf, OutboxWorker } from '../../../src/services/work-orders/outbox-worker.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { MemoryOutboxDelivery } from '../../fakes/memory-outbox-delivery.ts';

const log = pino({ level: 'silent' });
const dispatched: OrderCommand = { type: 'notify-centre', centreId: 'gz-tianhe', reason: 'dispatched' };
const contact: CentreContact = { name: '天河区12355青少年服务站', webhook: { url: 'http://centre.invalid/hook', secret: 's3cret-s3cret' }, emails: ['duty@tianhe.invalid'] };

function setup(opts: { failWebhook?: () => boolean } = {}) {
  const outbox = new MemoryOutboxDelivery();
  const clock = new ManualClock('2026-03-10T02:00:00Z');
  const notifier = new InProcessNotifier();
  const alerts: HotlineEvent[] = [];
  notifier.subscribe((e) => alerts.push(e));
  const webhooks: WebhookDelivery[] = [];
  const mails: MailMessage[] = [];
  const timerCommands: OrderCommand[] = [];
  const worker = new OutboxWorker({
    outbox, clock, notifier, log, owner: 'w1',
    orders: { get: async (id) => ({ id, caseId: 'c', version: 2, createdAt: '', updatedAt: '', state: { grade: 2, deadline: { kind: 'accept', dueAt: '2026-03-10T04:00:00.000Z' } } as never }) },
    contacts: (id) => (id === 'gz-tianhe' ? contact : id === 'quiet' ? { name: 'q', webhook: null, emails: [] } : null),
    webhook: { send: async (d) => {
      if (opts.failWebhook?.()) throw new Error('HTTP 503');
      webhooks.push(d);
    } },
    mailer: { send: async (m) => void mails.push(m) },
    timers: { applyCommand: async (_id, c) => void timerCommands.push(c) },
    retry: { baseMs: 1000, maxMs: 8000, maxAttempts: 3 },
  });
  return { outbox, clock, alerts, webhooks, mails, timerCommands, worker };
}

describe('OutboxWorker', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it('sends a centre notification once by webhook and once by e-mail, under one event id, and marks it delivered', async () => {
    const id = t.outbox.add('wo-1', dispatched);
    expect(await t.worker.runOnce()).toBe(1);
    expect(await t.worker.runOnce()).toBe(0);
    expect(t.webhooks).toHaveLength(1);
    expect(t.mails).toHaveLength(1);
    const eventId = eventIdOf(t.outbox.row(id));
    expect(t.webhooks[0]).toMatchObject({ eventId, url: contact.webhook?.url, body: { id: eventId, type: 'order.dispatched', orderId: 'wo-1', centreId: 'gz-tianhe', grade: 2 } });
    expect(t.mails[0]).toMatchObject({ eventId, to: ['duty@tianhe.invalid'] });
    expect(t.mails[0]?.subject).toContain('新工单');
    expect(t.mails[0]?.text).toContain('2026-03-10 12:00'); // the deadline in Beijing time
    expect(t.outbox.row(id)).toMatchObject({ deliveredAt: '2026-03-10T02:00:00.000Z', channels: { webhook: 'sent', email: 'sent' } });
  });

  it('a crash between a send and its mark sends that channel again with the same event id, and only that channel', async () => {
    const id = t.outbox.add('wo-1', dispatched);
    // The database refuses the mark after the e-mail went out: as a crash right after the send.
    const markSent = t.outbox.markSent.bind(t.outbox);
    t.outbox.markSent = async (i: number, ch: DeliveryChannel) => {
      if (ch === 'email') throw new Error('database went away');
      return markSent(i, ch);
    };
    await t.worker.runOnce();
    expect(t.outbox.row(id)).toMatchObject({ deliveredAt: null, attempts: 1, channels: { webhook: 'sent', email: 'sending' } });
    t.outbox.markSent = markSent;
    t.clock.advance(1000);
    await t.worker.runOnce();
    expect(t.webhooks).toHaveLength(1);
    expect(t.mails.map((m) => m.eventId)).toEqual([eventIdOf(t.outbox.row(id)), eventIdOf(t.outbox.row(id))]);
    expect(t.outbox.row(id).deliveredAt).not.toBeNull();
  });

  it('retries a failing webhook with backoff, then sets it aside with a supervisor alert', async () => {
    let failing = true;
    t = setup({ failWebhook: () => failing });
    const id = t.outbox.add('wo-1', dispatched);
    await t.worker.runOnce();
    expect(t.outbox.row(id)).toMatchObject({ attempts: 1, lastError: 'HTTP 503' });
    t.clock.advance(999);
    expect(await t.worker.runOnce()).toBe(0); // not before its backoff
    t.clock.advance(1);
    await t.worker.runOnce();
    t.clock.advance(2000);
    await t.worker.runOnce();
    expect(t.outbox.row(id)).toMatchObject({ attempts: 3, deliveredAt: null });
    expect(t.outbox.row(id).deadAt).not.toBeNull();
    expect(t.alerts).toEqual([expect.objectContaining({ type: 'alert', severity: 'critical', code: 'order-notification-failed' })]);
    failing = false;
    t.clock.advance(3_600_000);
    expect(await t.worker.runOnce()).toBe(0);
    expect(await t.outbox.deadLetters(10)).toHaveLength(1);
  });

  it('a missed deadline raises the 督办 alert on the dashboard and tells the centre', async () => {
    t.outbox.add('wo-1', { type: 'raise-supervision-alert', level: 1, kind: 'accept', dueAt: '2026-03-10T01:30:00.000Z', centreId: 'gz-tianhe' });
    await t.worker.runOnce();
    expect(t.alerts).toEqual([expect.objectContaining({ type: 'alert', code: 'order-overdue', message: expect.stringContaining('督办') })]);
    expect(t.webhooks[0]?.body).toMatchObject({ type: 'order.overdue', level: 1, deadline: { kind: 'accept', dueAt: '2026-03-10T01:30:00.000Z' } });
    expect(t.mails[0]?.subject).toContain('督办');
  });

  it('hands timer commands to the timers, and notices for supervisors to the dashboard', async () => {
    const plan = { kind: 'accept' as const, dueAt: '2026-03-10T04:00:00.000Z', remindAt: '2026-03-10T03:30:00.000Z', secondLevelAt: '2026-03-10T06:00:00.000Z' };
    t.outbox.add('wo-1', { type: 'schedule-deadline', deadline: plan });
    t.outbox.add('wo-2', { type: 'notify-supervisors', reason: 'returned' });
    t.outbox.add('wo-3', { type: 'schedule-follow-up' });
    t.outbox.add('wo-4', { type: 'notify-centre', centreId: 'quiet', reason: 'reminder' });
    expect(await t.worker.runOnce()).toBe(4);
    expect(t.timerCommands).toEqual([{ type: 'schedule-deadline', deadline: plan }]);
    expect(t.alerts).toEqual([expect.objectContaining({ code: 'order-returned', severity: 'warning' })]);
    expect(t.webhooks).toEqual([]);
    expect(t.outbox.rows.every((r) => r.deliveredAt !== null)).toBe(true);
  });

  it('keeps one order\'s messages in order: a later one waits while an earlier one is retried', async () => {
    let failing = true;
    t = setup({ failWebhook: () => failing });
    const first = t.outbox.add('wo-1', dispatched);
    const second = t.outbox.add('wo-1', { type: 'notify-centre', centreId: 'gz-tianhe', reason: 'reminder' });
    const other = t.outbox.add('wo-2', { type: 'notify-supervisors', reason: 'replied' });
    await t.worker.runOnce();
    expect(t.outbox.row(second).deliveredAt).toBeNull();
    expect(t.outbox.row(other).deliveredAt).not.toBeNull();
    failing = false;
    t.clock.advance(1000);
    await t.worker.runOnce();
    await t.worker.runOnce();
    expect(t.webhooks.map((w) => w.body.type)).toEqual(['order.dispatched', 'order.reminder']);
    expect([first, second].map((id) => t.outbox.row(id).deliveredAt !== null)).toEqual([true, true]);
  });

  it('a stop finishes the message in hand and gives back the rest of the batch', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow = setup();
    const ids = [slow.outbox.add('wo-1', dispatched), slow.outbox.add('wo-2', dispatched)];
    const send = slow.mails.push.bind(slow.mails);
    let sends = 0;
    slow.mails.push = (...m) => {
      sends += 1;
      return send(...m);
    };
    const worker = slow.worker;
    // Hold the first e-mail until stop() was asked for.
    const original = (worker as unknown as { d: { mailer: { send: (m: MailMessage) => Promise<void> } } }).d.mailer;
    const inner = original.send;
    original.send = async (m) => {
      await gate;
      return inner(m);
    };
    worker.start();
    await new Promise((r) => setTimeout(r, 20));
    const stopped = worker.stop();
    release();
    await stopped;
    expect(sends).toBe(1);
    expect(slow.outbox.row(ids[0] as number).deliveredAt).not.toBeNull();
    expect(slow.outbox.row(ids[1] as number)).toMatchObject({ deliveredAt: null, leaseOwner: null });
  });
});
