import type { DeliveryChannel } from '../domain/work-orders/order-notifications.ts';
import type { ActiveDeadline } from '../domain/work-orders/order-types.ts';
import type { TimerFiring, TimerJob } from '../domain/work-orders/deadline-timers.ts';
import type { OutboxMessage } from './work-orders.ts';

/** An outbox message leased to one worker, with how far each of its channels got. */
export interface ClaimedMessage extends OutboxMessage {
  /** Failed deliveries so far. */
  attempts: number;
  channels: Partial<Record<DeliveryChannel, 'sending' | 'sent'>>;
}

export interface DeadLetter extends OutboxMessage {
  attempts: number;
  lastError: string | null;
  deadAt: string;
}

/**
 * The outbox as the delivery worker sees it. Several workers (service instances) share it: a
 * claim leases messages to one of them until `leaseMs` passes, so a worker that died releases
 * its messages by itself. Messages of one order are claimed in order: a later one waits until
 * the earlier one is delivered or set aside.
 */
export interface OutboxDelivery {
  claim(owner: string, limit: number, now: Date, leaseMs: number): Promise<ClaimedMessage[]>;
  /** Just before a channel sends: a crash after this leaves `sending`, and the send is repeated. */
  markSending(outboxId: number, channel: DeliveryChannel, at: Date): Promise<void>;
  /** The channel went out: it is never sent again. */
  markSent(outboxId: number, channel: DeliveryChannel, at: Date): Promise<void>;
  /** Every channel went out: the message is delivered and leaves the outbox. */
  complete(outboxId: number, owner: string, at: Date): Promise<void>;
  /** A channel failed: try again at `retryAt`, or set the message aside (`retryAt` null). */
  fail(outboxId: number, owner: string, error: string, retryAt: Date | null, at: Date): Promise<void>;
  /** Gives back leased messages not started (a worker stopping): claimable again at once. */
  release(outboxIds: readonly number[], owner: string): Promise<void>;
  deadLetters(limit: number): Promise<DeadLetter[]>;
}

/** A centre's delivery addresses (config/centres.yaml `notify`) and the webhook's secret. */
export interface CentreContact {
  name: string;
  webhook: { url: string; secret: string } | null;
  emails: string[];
}

export interface WebhookDelivery {
  url: string;
  secret: string;
  /** Stable across retries: the receiver de-duplicates on it. */
  eventId: string;
  body: Record<string, unknown>;
}

/** Sends a signed webhook; resolves on a 2xx answer, throws otherwise. */
export interface WebhookSender {
  send(delivery: WebhookDelivery): Promise<void>;
}

export interface MailMessage {
  /** The event id, so a repeated send has the same Message-ID. */
  eventId: string;
  to: string[];
  subject: string;
  text: string;
}

/** Sends an e-mail; resolves once the SMTP server accepted it, throws otherwise. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Durable delayed jobs for the deadline timers (BullMQ in production). */
export interface TimerQueue {
  /** Adds the jobs; a job whose id exists already is left as it is. */
  schedule(jobs: readonly TimerJob[], now: Date): Promise<void>;
  cancel(jobIds: readonly string[]): Promise<void>;
  /** Jobs that exist (waiting, delayed or running), by id. */
  existing(jobIds: readonly string[]): Promise<Set<string>>;
  /** Makes the named delayed jobs run now (the clock passed their time). */
  promote(jobIds: readonly string[]): Promise<void>;
  /** Runs `handler` for each job when it is due; a throw retries it with backoff. */
  process(handler: (firing: TimerFiring) => Promise<void>): void;
  close(): Promise<void>;
}

/**
 * What the timers need from the order side: send a timer's event to its order (the order machine
 * decides whether it still applies), and the deadlines orders run against now (to rebuild timers).
 */
export interface OrderSystemEvents {
  applyTimer(firing: TimerFiring): Promise<'applied' | 'unchanged' | 'not-found'>;
  runningDeadlines(): Promise<Array<{ orderId: string; deadline: ActiveDeadline }>>;
}
