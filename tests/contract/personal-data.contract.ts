import { beforeEach, expect, it } from 'vitest';
import type { CallRecords } from '../../src/ports/call-records.ts';
import type { CaseStore } from '../../src/ports/cases.ts';
import type { PersonalDataEraser } from '../../src/ports/personal-data.ts';
import type { WorkOrderStore } from '../../src/ports/work-orders.ts';
import { change, counselled, newOrder } from './case-order-fixtures.ts';

export interface PersonalDataStores {
  eraser: PersonalDataEraser;
  records: CallRecords;
  cases: CaseStore;
  orders: WorkOrderStore;
}

const T0 = '2026-03-10T02:00:00.000Z';
const T1 = '2026-06-10T02:00:00.000Z';

/** The PersonalDataEraser contract: call numbers past retention, a caller's data on request. */
export function personalDataContract(make: () => Promise<PersonalDataStores>): void {
  let s: PersonalDataStores;
  beforeEach(async () => {
    s = await make();
  });

  const call = (callId: string, startedAt: string, callerNumber = '13800138000') =>
    s.records.open({ callId, line: 'main', dialled: '12355', callerNumber, startedAt });

  it("erases a caller's cases, their orders' texts and their calls' numbers, keeping what the figures need", async () => {
    await call('call-a', T0);
    await call('call-b', T0, '13900139000');
    const a = await s.cases.submit(counselled('call-a', T0, { order: newOrder('order-a', T0) }));
    await s.cases.submit(counselled('call-b', T0, { idempotencyKey: 'key-b', id: 'case-b' }));
    const order = a.order!;
    await s.orders.apply(order.id, order.version, change(order, { type: 'dispatch', centreId: 'gz-yuexiu', reason: '转派越秀', actor: { id: 's1', role: 'supervisor' }, at: T0 }), T0);

    expect(await s.eraser.eraseCases([a.case.id, 'no-such-case'], T1)).toEqual({ cases: 1, calls: 1 });
    expect(await s.cases.get(a.case.id)).toMatchObject({
      summary: null, callerNumber: null, callerKey: null, area: { city: '广州市', county: null }, erasedAt: T1, categories: a.case.categories, grade: a.case.grade,
    });
    expect((await s.orders.events(order.id)).map((e) => e.text)).toEqual([null, null]);
    expect((await s.records.get('call-a'))?.callerNumber).toBe('');
    // Another caller is untouched.
    expect((await s.records.get('call-b'))?.callerNumber).toBe('13900139000');
    expect(await s.cases.get('case-b')).toMatchObject({ summary: expect.any(String), erasedAt: null });
    expect(await s.eraser.eraseCases([], T1)).toEqual({ cases: 0, calls: 0 });
  });
}
