import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRoster } from '../../../src/config/roster.ts';
import { FAKE_TIMERS, startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';
import { serviceTestConfig } from '../../fakes/hotline-fixture.ts';

/**
 * Local first through the services: the caller's area decided when the call comes in, their team in
 * the queue, and matching run again at each widening instant (province at 10 s, any team at 20 s).
 */
const config = serviceTestConfig((c) => {
  c.queue = { ...c.queue, wideningMs: { province: 10_000, any: 20_000 }, anyCounsellorAfterMs: { normal: 600_000, urgent: 600_000 }, overflowAfterMs: 600_000 };
  c.areas = {
    teams: {
      gz: { name: '广州', areaCodes: ['020'] },
      sz: { name: '深圳', areaCodes: ['0755'] },
      prov: { name: '省级', level: 'province' },
    },
    mobileSegments: { '1351000': 'sz' },
  };
});
const roster = parseRoster({
  counsellors: [
    { id: 'c1', name: '陈老师', sipUser: '1001', skills: ['psychological'], languages: ['cmn', 'yue'], team: 'gz', level: 'city' },
    { id: 'c3', name: '黄社工', sipUser: '1003', skills: ['psychological'], languages: ['cmn', 'yue'], team: 'prov', level: 'province' },
    { id: 'c4', name: '张老师', sipUser: '1004', skills: ['psychological'], languages: ['cmn', 'yue'], team: 'sz', level: 'city' },
  ],
  staff: [],
});

let h: TestHotline;
beforeEach(async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  h = await startTestHotline({ config, roster });
});
afterEach(async () => {
  await h.stop();
  vi.useRealTimers();
});

describe('local first', () => {
  it('offers a Shenzhen fixed-line caller to the Shenzhen counsellor although the Guangzhou one has been free longer', async () => {
    await h.online('1001');
    await h.advance(1000);
    await h.online('1004');
    await h.callerInQueue('caller-1', '1', { number: '075526880001' });
    expect(await h.stores.store.getCaller('caller-1')).toMatchObject({ team: 'sz' });
    expect(h.offerFor('caller-1')?.appArgs[2]).toBe('c4');
    expect(h.stores.events.ofType('offer')[0]?.data).not.toHaveProperty('teamWidened');
    expect(h.stores.events.ofType('enter')[0]?.data).toMatchObject({ team: 'sz', areaSource: 'caller-number' });
  });

  it('widens to the province at 10 s, then to any team at 20 s: each stage is matched at its instant', async () => {
    await h.online('1001'); // Guangzhou, city level: only from 'any'
    await h.callerInQueue('caller-1', '1', { number: '13510001234' });
    expect(await h.stores.store.getCaller('caller-1')).toMatchObject({ team: 'sz' });
    const changes = () => h.published.filter((e) => e.type === 'queue-changed').length;
    const before = changes();
    await h.advance(11_000);
    expect(changes(), 'the board is told the caller widened to the province').toBeGreaterThan(before);
    await h.advance(8000);
    expect(h.offerFor('caller-1'), 'not before any team may take the caller').toBeUndefined();
    await h.advance(2000);
    expect(h.offerFor('caller-1')?.appArgs[2]).toBe('c1');
    expect(h.stores.events.ofType('offer')).toMatchObject([{ counsellorId: 'c1', data: { teamWidened: 'any' } }]);
  });

  it('reads the area code a carrier put in front of the number dialled, and still runs that line', async () => {
    await h.online('1003'); // province level: from 10 s
    h.telephony.callerEnters('caller-1', { number: '13800138000', dialled: '02012355' });
    await h.settle();
    expect(h.calls.getCall('caller-1')).toMatchObject({ dialled: '12355', area: { team: 'gz', source: 'carrier', areaCode: '020' } });
    for (const key of ['1', '1']) {
      h.telephony.dtmf('caller-1', key);
      await h.settle();
    }
    await h.hearAll('caller-1');
    expect(await h.stores.store.getCaller('caller-1')).toMatchObject({ team: 'gz', need: 'psychological' });
    await h.advance(8000);
    expect(h.offerFor('caller-1')).toBeUndefined();
    await h.advance(3000);
    expect(h.offerFor('caller-1')?.appArgs[2]).toBe('c3');
    expect(h.stores.events.ofType('offer')).toMatchObject([{ counsellorId: 'c3', data: { teamWidened: 'province' } }]);
  });
});
