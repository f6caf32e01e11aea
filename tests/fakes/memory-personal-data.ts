import type { PersonalDataEraser } from '../../src/ports/personal-data.ts';
import type { MemoryCallRecords } from './memory-call-records.ts';
import type { MemoryCaseStore } from './memory-case-store.ts';

/** Erasure over the memory stores, with PgPersonalData's rules (contract: tests/contract/personal-data.contract.ts). */
export class MemoryPersonalData implements PersonalDataEraser {
  constructor(private readonly cases: MemoryCaseStore, private readonly records: MemoryCallRecords) {}

  async eraseCallNumbers(before: string, _at: string): Promise<number> {
    const cutoff = Date.parse(before);
    const due = (await this.records.list({ limit: Number.MAX_SAFE_INTEGER })).filter((r) => r.callerNumber !== '' && Date.parse(r.startedAt) < cutoff);
    for (const r of due) await this.records.update(r.callId, { callerNumber: '' });
    return due.length;
  }

  async eraseCases(caseIds: readonly string[], at: string): Promise<{ cases: number; calls: number }> {
    const callIds = this.cases.eraseCases(caseIds, at);
    let calls = 0;
    for (const callId of callIds) {
      const r = await this.records.get(callId);
      if (!r || r.callerNumber === '') continue;
      await this.records.update(callId, { callerNumber: '' });
      calls++;
    }
    return { cases: callIds.length, calls };
  }
}
