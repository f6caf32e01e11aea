import type { CallListQuery, CallRecord, CallRecordPatch, CallRecords, SatisfactionCount, SatisfactionStats } from '../../src/ports/call-records.ts';
import { jsonCopy } from './clone.ts';

const TIMES = ['answeredAt', 'connectedAt', 'endedAt'] as const;
const iso = (v: string) => new Date(v).toISOString();

/**
 * Call records in memory with the PostgreSQL adapter's rules: `open` keeps the first record of a
 * call id, `update` ignores undefined fields and unknown calls, timestamps come back as UTC ISO
 * strings, `list` is newest first.
 */
export class MemoryCallRecords implements CallRecords, SatisfactionStats {
  private readonly records = new Map<string, CallRecord>();
  /** Survey answers: written with the record but, as in PostgreSQL, not read back with it. */
  private readonly answers = new Map<string, { answer: 1 | 2 | 3; at: string }>();

  async open(r: Pick<CallRecord, 'callId' | 'line' | 'dialled' | 'callerNumber' | 'startedAt'>): Promise<void> {
    if (this.records.has(r.callId)) return;
    this.records.set(r.callId, {
      callId: r.callId, line: r.line, dialled: r.dialled, callerNumber: r.callerNumber, startedAt: iso(r.startedAt),
      answeredAt: null, connectedAt: null, endedAt: null, outcome: null, language: null, need: null,
      highRisk: false, critical: false, counsellorId: null, path: [],
    });
  }

  async update(callId: string, patch: CallRecordPatch): Promise<void> {
    const current = this.records.get(callId);
    if (!current) return;
    const { satisfaction, satisfactionAt, ...rest } = patch;
    if (satisfaction !== undefined) this.answers.set(callId, { answer: satisfaction, at: iso(satisfactionAt ?? new Date().toISOString()) });
    const next: CallRecord = { ...current };
    for (const [key, value] of Object.entries(jsonCopy(rest)) as Array<[keyof CallRecordPatch, unknown]>) {
      if (value === undefined) continue;
      (next as unknown as Record<string, unknown>)[key] = (TIMES as readonly string[]).includes(key) && typeof value === 'string' ? iso(value) : value;
    }
    this.records.set(callId, next);
  }

  async get(callId: string): Promise<CallRecord | null> {
    const r = this.records.get(callId);
    return r ? jsonCopy(r) : null;
  }

  async list(q: CallListQuery): Promise<CallRecord[]> {
    const before = q.before === undefined ? null : new Date(q.before).getTime();
    return [...this.records.values()]
      .filter((r) => before === null || new Date(r.startedAt).getTime() < before)
      .filter((r) => !q.counsellorId || r.counsellorId === q.counsellorId)
      .sort((a, b) => new Date(b.startedAt).getTime() - new Date(a.startedAt).getTime())
      .slice(0, q.limit)
      .map(jsonCopy);
  }

  /** The stored survey answer of a call (tests). */
  satisfactionOf(callId: string): 1 | 2 | 3 | null {
    return this.answers.get(callId)?.answer ?? null;
  }

  async countByCounsellor(fromIso: string, toIso: string): Promise<SatisfactionCount[]> {
    const from = new Date(fromIso).getTime();
    const to = new Date(toIso).getTime();
    const counts = new Map<string, SatisfactionCount>();
    for (const [callId, { answer, at }] of this.answers) {
      const counsellorId = this.records.get(callId)?.counsellorId;
      const t = new Date(at).getTime();
      if (!counsellorId || t < from || t >= to) continue;
      const c = counts.get(counsellorId) ?? { counsellorId, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0 };
      if (answer === 1) c.satisfied++;
      else if (answer === 2) c.basicallySatisfied++;
      else c.dissatisfied++;
      counts.set(counsellorId, c);
    }
    return [...counts.values()].sort((a, b) => (a.counsellorId < b.counsellorId ? -1 : 1));
  }
}
