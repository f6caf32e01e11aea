import type { CallListQuery, CallRecord, CallRecordPatch, CallRecords } from '../../src/ports/call-records.ts';
import { jsonCopy } from './clone.ts';

const TIMES = ['answeredAt', 'connectedAt', 'endedAt'] as const;
const iso = (v: string) => new Date(v).toISOString();

/**
 * Call records in memory with the PostgreSQL adapter's rules: `open` keeps the first record of a
 * call id, `update` ignores undefined fields and unknown calls, timestamps come back as UTC ISO
 * strings, `list` is newest first.
 */
export class MemoryCallRecords implements CallRecords {
  private readonly records = new Map<string, CallRecord>();

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
    const next: CallRecord = { ...current };
    for (const [key, value] of Object.entries(jsonCopy(patch)) as Array<[keyof CallRecordPatch, unknown]>) {
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
}
