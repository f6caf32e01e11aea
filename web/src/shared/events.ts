/**
 * Live updates: parsing server-sent HotlineEvents and coalescing the re-fetches they cause.
 * No DOM here; the EventSource wrapper is in sse.ts.
 */
import type { EscalationStatus } from '../../../src/wire/calls.ts';
import type { HotlineEvent, Severity } from '../../../src/wire/events.ts';

// Records rather than lists: a state added to or dropped from the wire types fails the typecheck here.
const ESCALATION_STATES: Record<EscalationStatus, true> = { dialling: true, announcing: true, connected: true, failed: true, ended: true };
const SEVERITIES: Record<Severity, true> = { warning: true, critical: true };

const isEscalationState = (v: unknown): v is EscalationStatus => typeof v === 'string' && Object.hasOwn(ESCALATION_STATES, v);
const isSeverity = (v: unknown): v is Severity => typeof v === 'string' && Object.hasOwn(SEVERITIES, v);

const isStr = (v: unknown): v is string => typeof v === 'string';

/** One `data:` payload as a HotlineEvent, or null for anything malformed or unknown. */
const FOLLOW_UP_CHANGES = ['ringing', 'connected', 'not-reached', 'given-back', 'recorded'] as const;
const isFollowUpChange = (v: unknown): v is (typeof FOLLOW_UP_CHANGES)[number] => FOLLOW_UP_CHANGES.includes(v as never);

export function parseEvent(data: string): HotlineEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  switch (o.type) {
    case 'queue-changed':
      return { type: 'queue-changed' };
    case 'counsellor-changed':
      return isStr(o.counsellorId) ? { type: 'counsellor-changed', counsellorId: o.counsellorId } : null;
    case 'call-changed':
      return isStr(o.callId) ? { type: 'call-changed', callId: o.callId } : null;
    case 'offer':
      return isStr(o.callId) && isStr(o.counsellorId) ? { type: 'offer', callId: o.callId, counsellorId: o.counsellorId } : null;
    case 'escalation':
      if (!isStr(o.callId) || !isStr(o.escalationId)) return null;
      if (!isEscalationState(o.state)) return null;
      return { type: 'escalation', callId: o.callId, escalationId: o.escalationId, state: o.state };
    case 'alert':
      if (!isSeverity(o.severity) || !isStr(o.code) || !isStr(o.message)) return null;
      return {
        type: 'alert',
        severity: o.severity,
        code: o.code,
        message: o.message,
        ...(isStr(o.callId) ? { callId: o.callId } : {}),
      };
    case 'pbx':
      return typeof o.connected === 'boolean' ? { type: 'pbx', connected: o.connected } : null;
    case 'follow-up':
      if (!isStr(o.followUpId) || !isStr(o.caseId) || !(o.counsellorId === null || isStr(o.counsellorId)) || !isFollowUpChange(o.change)) return null;
      return { type: 'follow-up', followUpId: o.followUpId, caseId: o.caseId, counsellorId: o.counsellorId, change: o.change };
    default:
      return null;
  }
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
}

const realTimers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms) };

/**
 * Re-fetches named resources at most once per `delayMs` window: the first request for a key
 * starts the window, later ones inside it ride along. A key whose fetch is still running when it
 * is requested again is fetched once more afterwards, so the last change is never missed and two
 * fetches of one key never overlap (their answers cannot arrive out of order).
 */
export class RefreshScheduler<K extends string> {
  private readonly pending = new Set<K>();
  private readonly inFlight = new Set<K>();
  private readonly again = new Set<K>();
  private timerArmed = false;

  constructor(
    private readonly fetchers: Record<K, () => Promise<void>>,
    private readonly onError: (key: K, error: unknown) => void,
    private readonly delayMs = 100,
    private readonly timers: Timers = realTimers,
  ) {}

  request(keys: Iterable<K>): void {
    for (const k of keys) this.pending.add(k);
    if (this.pending.size === 0 || this.timerArmed) return;
    this.timerArmed = true;
    this.timers.setTimeout(() => this.flush(), this.delayMs);
  }

  /** Fetch now, without waiting for the window (first load, reconnect). */
  now(keys: Iterable<K>): Promise<void> {
    return Promise.all([...keys].map((k) => this.run(k))).then(() => undefined);
  }

  private flush(): void {
    this.timerArmed = false;
    const keys = [...this.pending];
    this.pending.clear();
    for (const k of keys) void this.run(k);
  }

  private async run(key: K): Promise<void> {
    if (this.inFlight.has(key)) {
      this.again.add(key);
      return;
    }
    this.inFlight.add(key);
    try {
      await this.fetchers[key]();
    } catch (e) {
      this.onError(key, e);
    } finally {
      this.inFlight.delete(key);
      if (this.again.delete(key)) this.request([key]);
    }
  }
}
