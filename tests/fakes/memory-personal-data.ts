import type { PersonalDataEraser } from '../../src/ports/personal-data.ts';
import type { MemoryCallRecords } from './memory-call-records.ts';
import type { MemoryCaseStore } from './memory-case-store.ts';

/** Erasure over the memory stores, with PgPersonalData's rules (contract: tests/contract/personal-data.contract.ts). */
export class MemoryPersonalData implements PersonalDataEraser {
  constructor(private readonly cases: MemoryCaseStore, private readonly records: MemoryCallRecords) {}

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
