import { beforeEach, expect, it } from 'vitest';
import type { CallRecord, CallRecords, SatisfactionStats } from '../../src/ports/call-records.ts';

const opened = (callId: string, startedAt: string, patch: Partial<CallRecord> = {}) => ({
  callId, line: 'main', dialled: '12355', callerNumber: '13800138000', startedAt, ...patch,
});

/** The CallRecords contract: first open wins, patches merge, timestamps come back as UTC ISO. */
export function callRecordsContract(make: () => Promise<CallRecords & SatisfactionStats>): void {
  let r: CallRecords & SatisfactionStats;
  beforeEach(async () => {
    r = await make();
  });

  it('opens a record with empty outcome fields', async () => {
    await r.open(opened('c-1', '2026-03-10T02:00:00.000Z'));
    expect(await r.get('c-1')).toEqual({
      callId: 'c-1', line: 'main', dialled: '12355', callerNumber: '13800138000', startedAt: '2026-03-10T02:00:00.000Z',
      answeredAt: null, connectedAt: null, endedAt: null, outcome: null, language: null, need: null,
      highRisk: false, critical: false, counsellorId: null, path: [],
    });
    expect(await r.get('unknown')).toBeNull();
  });

  it('keeps the first record when a call is opened again (resync)', async () => {
    await r.open(opened('c-1', '2026-03-10T02:00:00.000Z'));
    await r.open(opened('c-1', '2026-03-10T03:00:00.000Z', { line: 'exam', callerNumber: '' }));
    expect(await r.get('c-1')).toMatchObject({ line: 'main', callerNumber: '13800138000', startedAt: '2026-03-10T02:00:00.000Z' });
  });

  it('merges patches, ignores undefined fields and returns timestamps in UTC', async () => {
    await r.open(opened('c-1', '2026-03-10T10:00:00+08:00'));
    const path = [{ menu: 'language', input: '2', outcome: 'option' as const, at: '2026-03-10T02:00:02.000Z' }];
    await r.update('c-1', { answeredAt: '2026-03-10T10:00:01.250+08:00', need: 'legal', language: 'yue', highRisk: true, path });
    await r.update('c-1', { need: undefined, connectedAt: '2026-03-10T02:01:00.000Z', counsellorId: 'c1', critical: true });
    await r.update('c-1', { endedAt: '2026-03-10T02:09:30.000Z', outcome: 'completed' });
    expect(await r.get('c-1')).toEqual({
      callId: 'c-1', line: 'main', dialled: '12355', callerNumber: '13800138000', startedAt: '2026-03-10T02:00:00.000Z',
      answeredAt: '2026-03-10T02:00:01.250Z', connectedAt: '2026-03-10T02:01:00.000Z', endedAt: '2026-03-10T02:09:30.000Z',
      outcome: 'completed', language: 'yue', need: 'legal', highRisk: true, critical: true, counsellorId: 'c1', path,
    });
  });

  it('counts survey answers per counsellor in a period, and keeps them out of the record itself', async () => {
    const answers: Array<[string, string | null, 1 | 2 | 3 | null, string]> = [
      ['s-1', 'c1', 1, '2026-03-10T02:00:00.000Z'],
      ['s-2', 'c1', 1, '2026-03-10T03:00:00.000Z'],
      ['s-3', 'c1', 3, '2026-03-10T04:00:00.000Z'],
      ['s-4', 'c2', 2, '2026-03-10T05:00:00.000Z'],
      ['s-5', 'c2', null, '2026-03-10T05:30:00.000Z'], // no answer: not counted
      ['s-6', 'c2', 3, '2026-03-11T00:00:00.000Z'], // at `to`: outside
      ['s-7', 'c3', 2, '2026-03-09T23:59:59.000Z'], // before `from`: outside
      ['s-8', null, 1, '2026-03-10T06:00:00.000Z'], // no counsellor: not counted
    ];
    for (const [callId, counsellorId, answer, at] of answers) {
      await r.open(opened(callId, '2026-03-09T20:00:00.000Z'));
      await r.update(callId, { counsellorId, ...(answer ? { satisfaction: answer, satisfactionAt: at } : {}) });
    }
    expect(await r.countByCounsellor('2026-03-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z')).toEqual([
      { counsellorId: 'c1', satisfied: 2, basicallySatisfied: 0, dissatisfied: 1 },
      { counsellorId: 'c2', satisfied: 0, basicallySatisfied: 1, dissatisfied: 0 },
    ]);
    expect(await r.countByCounsellor('2026-03-12T00:00:00.000Z', '2026-03-13T00:00:00.000Z')).toEqual([]);
    expect(await r.get('s-1')).not.toHaveProperty('satisfaction');
  });

  it('does not create a record by updating an unknown call', async () => {
    await r.update('ghost', { outcome: 'abandoned' });
    await r.update('ghost', {});
    expect(await r.get('ghost')).toBeNull();
    expect(await r.list({ limit: 10 })).toEqual([]);
  });

  it('lists newest first, before a time, by counsellor, up to the limit', async () => {
    for (const [id, at, counsellor] of [
      ['c-1', '2026-03-10T01:00:00.000Z', 'c1'], ['c-2', '2026-03-10T02:00:00.000Z', 'c2'],
      ['c-3', '2026-03-10T03:00:00.000Z', 'c1'], ['c-4', '2026-03-10T04:00:00.000Z', null],
    ] as const) {
      await r.open(opened(id, at));
      if (counsellor) await r.update(id, { counsellorId: counsellor });
    }
    const ids = (list: CallRecord[]) => list.map((x) => x.callId);
    expect(ids(await r.list({ limit: 10 }))).toEqual(['c-4', 'c-3', 'c-2', 'c-1']);
    expect(ids(await r.list({ limit: 2 }))).toEqual(['c-4', 'c-3']);
    expect(ids(await r.list({ limit: 10, before: '2026-03-10T03:00:00.000Z' }))).toEqual(['c-2', 'c-1']);
    expect(ids(await r.list({ limit: 10, counsellorId: 'c1' }))).toEqual(['c-3', 'c-1']);
    expect(ids(await r.list({ limit: 1, counsellorId: 'c1', before: '2026-03-10T03:00:00.000Z' }))).toEqual(['c-1']);
  });
}
