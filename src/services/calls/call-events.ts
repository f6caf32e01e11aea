import type { CallOutcome } from '../../ports/call-records.ts';
import type { LiveCall } from '../../ports/live-calls.ts';

/** What one feature tells the others through the router, by name. */
export interface CallEvents {
  /** A counsellor may take a call now (counsellors → queue: matching runs). */
  'counsellor-available': { counsellorId: string };
  /** An offer ringing at this counsellor must stop (counsellors → queue: pause, registration lost). */
  'offer-withdrawn': { counsellorId: string; callId: string };
  /**
   * Nobody is left with a connected caller any more (escalation, transfer → queue: back in the
   * queue; at `enqueuedAt`, their first entry time, when given). Awaited.
   */
  'caller-requeued': { call: LiveCall; enqueuedAt?: number };
  /** The caller's call is over and its record closed (router → cases: a case is opened). Handlers must not hold the call up. */
  'call-ended': { call: LiveCall; outcome: CallOutcome; endedAt: string };
}

/** Questions one feature answers for another; one answerer each. */
export interface CallQuestions {
  /** The counsellor left: a colleague already on the call takes it over, if any (queue → transfer). */
  'colleague-to-promote': { ask: LiveCall; answer: { channelId: string; counsellorId: string; token: string } | null };
}

type Handler<K extends keyof CallEvents> = (payload: CallEvents[K]) => void | Promise<void>;
type Answerer<K extends keyof CallQuestions> = (ask: CallQuestions[K]['ask']) => CallQuestions[K]['answer'];

/**
 * The router's in-process event bus: features subscribe when they are built, instead of being
 * handed each other (or patched into each other) afterwards. Handlers run in subscription order.
 */
export class CallEventBus {
  private readonly handlers = new Map<keyof CallEvents, Array<Handler<keyof CallEvents>>>();
  private readonly answerers = new Map<keyof CallQuestions, Answerer<keyof CallQuestions>>();

  on<K extends keyof CallEvents>(name: K, handler: Handler<K>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as Handler<keyof CallEvents>);
    this.handlers.set(name, list);
  }

  /** Runs the handlers one after the other; the first runs before emit returns (as a direct call would). */
  async emit<K extends keyof CallEvents>(name: K, payload: CallEvents[K]): Promise<void> {
    for (const handler of this.handlers.get(name) ?? []) await (handler as Handler<K>)(payload);
  }

  answer<K extends keyof CallQuestions>(name: K, answerer: Answerer<K>): void {
    if (this.answerers.has(name)) throw new Error(`${name} has an answerer already`);
    this.answerers.set(name, answerer as unknown as Answerer<keyof CallQuestions>);
  }

  /** The answer, or null when no feature answers this question (it is not wired). */
  ask<K extends keyof CallQuestions>(name: K, ask: CallQuestions[K]['ask']): CallQuestions[K]['answer'] | null {
    const answerer = this.answerers.get(name) as Answerer<K> | undefined;
    return answerer ? answerer(ask) : null;
  }
}
