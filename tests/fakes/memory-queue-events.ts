import type { QueueEvent, QueueEventLog, QueueStats } from '../../src/ports/queue-events.ts';
import { jsonCopy } from './clone.ts';

const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const waitMs = (e: QueueEvent) => Number(e.data?.waitMs ?? NaN);
const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * The queue event log in memory, with the same figures as the SQL in the PostgreSQL adapter:
 * offered = 'enter', answered = 'connect', abandoned = 'abandon'; service level = answered within
 * the threshold over answered + abandoned; speed of answer from the 'connect' events' waitMs.
 */
export class MemoryQueueEvents implements QueueEventLog {
  readonly events: QueueEvent[] = [];

  constructor(private readonly observe: (e: QueueEvent) => void = () => undefined) {}

  async append(e: QueueEvent): Promise<void> {
    this.observe(e);
    this.events.push({ ...jsonCopy(e), at: new Date(e.at).toISOString(), data: jsonCopy(e.data ?? {}) });
  }

  async list(sinceIso: string, limit: number): Promise<QueueEvent[]> {
    return this.since(sinceIso).slice(0, limit).map(jsonCopy);
  }

  /** Test inspection: events of one type, in order. */
  ofType(type: QueueEvent['type']): QueueEvent[] {
    return this.events.filter((e) => e.type === type).map(jsonCopy);
  }

  async stats(sinceIso: string, serviceLevelSeconds: number, timeZone: string): Promise<QueueStats> {
    const events = this.since(sinceIso);
    const count = (type: QueueEvent['type']) => events.filter((e) => e.type === type).length;
    const connects = events.filter((e) => e.type === 'connect').map(waitMs).filter((n) => !Number.isNaN(n));
    const waits = events.filter((e) => e.type === 'connect' || e.type === 'abandon').map(waitMs).filter((n) => !Number.isNaN(n));
    // Callers, not entries: one re-queued after an escalation is offered once.
    const offered = new Set(events.filter((e) => e.type === 'enter').map((e) => e.callId)).size;
    const answered = count('connect');
    const abandoned = count('abandon');
    const within = connects.filter((w) => w <= serviceLevelSeconds * 1000).length;
    const asa = avg(connects);
    const hourOf = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' });
    const hours = new Map<number, QueueEvent[]>();
    for (const e of events) {
      const h = Number(hourOf.format(new Date(e.at)));
      hours.set(h, [...(hours.get(h) ?? []), e]);
    }
    return {
      since: sinceIso,
      offered,
      answered,
      abandoned,
      callbacks: count('callback-requested'),
      serviceLevel: answered + abandoned > 0 ? within / (answered + abandoned) : null,
      averageSpeedOfAnswerSec: round(asa === null ? null : asa / 1000),
      longestWaitSec: round(waits.length ? Math.max(...waits) / 1000 : null),
      abandonRate: offered > 0 ? abandoned / offered : null,
      byHour: [...hours.entries()].sort(([a], [b]) => a - b).map(([hour, es]) => {
        const w = avg(es.filter((e) => e.type === 'connect').map(waitMs).filter((n) => !Number.isNaN(n)));
        return {
          hour,
          offered: new Set(es.filter((e) => e.type === 'enter').map((e) => e.callId)).size,
          answered: es.filter((e) => e.type === 'connect').length,
          averageWaitSec: round(w === null ? null : w / 1000),
        };
      }),
    };
  }

  private since(sinceIso: string): QueueEvent[] {
    const since = new Date(sinceIso).getTime();
    return this.events.filter((e) => new Date(e.at).getTime() >= since);
  }
}
