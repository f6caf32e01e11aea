import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBrowser, signIn } from './support/browser.ts';
import { webPassword } from './support/peers.ts';
import type { QueueCaller } from './support/queue-sipp.ts';
import { invitedCallIds, scenarioPerTest, type QueueEvent, type QueueScenario } from './support/queue-scenario.ts';
import type { RunningService } from './support/service.ts';
import { waitFor } from './support/wait.ts';

/**
 * Local first, end to end, with the shipped areas (config/hotline.yaml `areas`, the phone-number
 * data set from npm) and the demo roster: 1001 陈老师 (广州, city), 1002 李律师 (广州, city, legal,
 * Mandarin only), 1003 黄社工 (省级, province level), 1004 张老师 (深圳, city). Widening is short
 * here: province-level teams after 10 s, any team after 16 s (longer than the privacy notice,
 * which holds every offer back until it ends). Times are the queue events' (the service's clock).
 *
 * Run alone in a slot of your own:  HOTLINE_TEST_SLOT=6 npx vitest run --project e2e tests/e2e/area-widening.test.ts
 */

let scenario: QueueScenario;
scenarioPerTest((s) => (scenario = s));

const WIDENING = { province: 10_000, any: 16_000 };
/** No cross-skill or cross-language offers while team widening is under test. */
const NO_ANYONE = { normal: 600_000, urgent: 600_000 };
/** Mandarin (1), then psychological (1): every demo counsellor but 1002 has the skill. */
const PSYCHOLOGICAL = [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }];
/** How late an offer may come after its instant: the re-check timer, a matching pass, the event write. */
const SLACK_MS = 2000;

const callIdOf = async (caller: QueueCaller) => (await scenario.channelOf(caller)).id;

interface BoardEntry { callId: string; team: string | null; teamName: string | null; reach: string }

/** The caller's row on the supervisors' queue board. */
async function boardEntry(service: RunningService, callId: string): Promise<BoardEntry | undefined> {
  return (await scenario.waiting(service)).find((w) => w.callId === callId) as BoardEntry | undefined;
}

/** The caller's queue entry and first offer, and the milliseconds between them. */
async function enterAndOffer(service: RunningService, callId: string, timeoutMs = 40_000): Promise<{ enter: QueueEvent; offer: QueueEvent; afterMs: number }> {
  const enter = await scenario.waitForEvent(service, `${callId} queued`, (e) => e.type === 'enter' && e.callId === callId, 30_000);
  const offer = await scenario.waitForEvent(service, `${callId} offered`, (e) => e.type === 'offer' && e.callId === callId, timeoutMs);
  const afterMs = Date.parse(offer.at) - Date.parse(enter.at);
  // The figure, for the record (docs/benchmarks.md-style reading of a run).
  console.info(`[area-widening] ${callId}: offered to ${offer.counsellorId} ${afterMs} ms after entering the queue ${JSON.stringify(offer.data)}`);
  return { enter, offer, afterMs };
}

/** The call went through to the end with that counsellor, and nothing is left behind. */
async function expectCompleted(service: RunningService, caller: QueueCaller, callId: string, counsellorId: string): Promise<void> {
  const r = await caller.done;
  expect(r.exitCode, r.log).toBe(0);
  expect(await scenario.endedCall(service, callId)).toMatchObject({ outcome: 'completed', counsellorId });
  await scenario.ari.waitForNoLeftovers(5000);
  await waitFor('no live call in Redis', async () => ((await service.liveCalls()).length === 0 ? true : undefined));
}

/**
 * The phones talk past the privacy notice: rung while the caller still hears it, they are bridged
 * at its end, and one hanging up before would be giving the call back (issue #11).
 */
const TALK_MS = 11_000;

describe('local first, with the shipped areas', () => {
  it('offers a Shenzhen fixed-line caller to the Shenzhen counsellor, although the Guangzhou one has been free longer', async () => {
    const service = await scenario.start({ queue: { wideningMs: WIDENING, anyCounsellorAfterMs: NO_ANYONE } });
    // 1001 first: the longest idle, whom longest-idle would ring were it not for the caller's area.
    const guangzhou = await scenario.phone('1001', true, { talkMs: TALK_MS });
    await scenario.waitForCounsellor(service, 'c1001', 'available');
    const shenzhen = await scenario.phone('1004', true, { talkMs: TALK_MS });
    await scenario.waitForCounsellor(service, 'c1004', 'available');

    const caller = await scenario.caller({ callerNumber: '075526880001', keys: PSYCHOLOGICAL, holdMs: 40_000, hangup: 'remote' });
    const callId = await callIdOf(caller);
    const { enter, offer, afterMs } = await enterAndOffer(service, callId);
    expect(enter.data).toMatchObject({ team: 'shenzhen', areaSource: 'caller-number' });
    expect(offer.counsellorId).toBe('c1004');
    expect(offer.data, 'the own team: nothing widened').not.toHaveProperty('teamWidened');
    expect(afterMs, 'at once (after the privacy notice), not at a widening instant').toBeLessThan(WIDENING.province);
    await scenario.waitForInvites(shenzhen, 1, '1004 rung');
    await expectCompleted(service, caller, callId, 'c1004');
    expect(invitedCallIds(guangzhou)).toEqual([]);
  }, 90_000);

  it('offers a Shenzhen mobile caller (home area from the data set) to the Guangzhou counsellor only once any team may answer; the board shows it', async () => {
    const service = await scenario.start({ queue: { wideningMs: WIDENING, anyCounsellorAfterMs: NO_ANYONE } });
    const guangzhou = await scenario.phone('1001', true, { talkMs: TALK_MS }); // city level: not at the province stage
    await scenario.waitForCounsellor(service, 'c1001', 'available');
    // A supervisor watches the queue board in Chromium.
    const browser = await openBrowser(service.url);
    try {
      const { page } = browser;
      await signIn(page, '/supervisor.html', 's2001', webPassword('s2001'));
      const caller = await scenario.caller({ callerNumber: '13510001234', keys: PSYCHOLOGICAL, holdMs: 50_000, hangup: 'remote' });
      const callId = await callIdOf(caller);
      // Supervisors see the caller's team, and how far the search has widened.
      const early = await waitFor('the caller on the board', () => boardEntry(service, callId), 20_000);
      expect(early).toMatchObject({ team: 'shenzhen', teamName: '深圳', reach: 'team' });
      const cell = page.locator(`#queue-table tbody tr[data-call-id="${callId}"] td[data-field="team"]`);
      await expect.poll(() => cell.textContent(), { message: 'the team on the page', timeout: 5000 }).toBe('深圳');
      const province = await waitFor('the board shows the province stage', async () => {
        const e = await boardEntry(service, callId);
        return e?.reach === 'province' ? e : undefined;
      }, 20_000);
      expect(province.teamName).toBe('深圳');
      await expect.poll(() => cell.textContent(), { message: 'the widening badge on the page', timeout: 10_000 }).toBe('深圳已扩至省级');
      await page.screenshot({ path: join(tmpdir(), 'area-widening-board.png') });

      const { enter, offer, afterMs } = await enterAndOffer(service, callId);
      expect(enter.data).toMatchObject({ team: 'shenzhen', areaSource: 'caller-number' });
      expect(offer).toMatchObject({ counsellorId: 'c1001', data: { teamWidened: 'any' } });
      expect(afterMs, `not before the any-team delay (${afterMs} ms)`).toBeGreaterThanOrEqual(WIDENING.any - 100);
      expect(afterMs, `within the delay + ${SLACK_MS} ms (${afterMs} ms)`).toBeLessThan(WIDENING.any + SLACK_MS);
      await scenario.waitForInvites(guangzhou, 1, '1001 rung once any team may answer');
      await expectCompleted(service, caller, callId, 'c1001');
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('takes the area from the carrier\'s P-Called-Party-ID (a Beijing mobile roaming in Guangzhou) and widens to the province level at its delay', async () => {
    const service = await scenario.start({ queue: { wideningMs: WIDENING, anyCounsellorAfterMs: NO_ANYONE } });
    const since = service.logs().length;
    const province = await scenario.phone('1003', true, { talkMs: TALK_MS });
    await scenario.waitForCounsellor(service, 'c1003', 'available');

    const caller = await scenario.caller({
      callerNumber: '13800000261', keys: PSYCHOLOGICAL, holdMs: 50_000, hangup: 'remote',
      headers: ['P-Called-Party-ID: <sip:02012355@127.0.0.2>'],
    });
    const callId = await callIdOf(caller);
    const entered = JSON.parse(await service.waitForLog(/"msg":"caller entered"/, 20_000, since)) as { area?: unknown; dialled?: string };
    expect(entered).toMatchObject({ dialled: '12355', area: { team: 'guangzhou', source: 'carrier', areaCode: '020' } });

    const { enter, offer, afterMs } = await enterAndOffer(service, callId);
    expect(enter.data).toMatchObject({ team: 'guangzhou', areaSource: 'carrier' });
    expect(offer).toMatchObject({ counsellorId: 'c1003', data: { teamWidened: 'province' } });
    expect(afterMs, `not before the province delay (${afterMs} ms)`).toBeGreaterThanOrEqual(WIDENING.province - 100);
    expect(afterMs, `within the delay + ${SLACK_MS} ms (${afterMs} ms)`).toBeLessThan(WIDENING.province + SLACK_MS);
    await scenario.waitForInvites(province, 1, '1003 rung at the province stage');
    await expectCompleted(service, caller, callId, 'c1003');
  }, 120_000);

  it('reads the area code a carrier put in front of the number dialled (0755-12355)', async () => {
    const service = await scenario.start({ queue: { wideningMs: WIDENING, anyCounsellorAfterMs: NO_ANYONE } });
    const shenzhen = await scenario.phone('1004', true, { talkMs: TALK_MS });
    await scenario.waitForCounsellor(service, 'c1004', 'available');
    const caller = await scenario.caller({ callerNumber: '13800000262', number: '075512355', keys: PSYCHOLOGICAL, holdMs: 40_000, hangup: 'remote' });
    const callId = await callIdOf(caller);
    const { enter, offer, afterMs } = await enterAndOffer(service, callId);
    expect(enter.data).toMatchObject({ team: 'shenzhen', areaSource: 'carrier', line: 'main', need: 'psychological' });
    expect(offer.counsellorId).toBe('c1004');
    expect(afterMs).toBeLessThan(WIDENING.province);
    await scenario.waitForInvites(shenzhen, 1, '1004 rung');
    await expectCompleted(service, caller, callId, 'c1004');
  }, 90_000);
});

describe('nobody waits for ever for a perfect match', () => {
  it('offers a Cantonese caller (no emergency) to a Mandarin-only counsellor after anyCounsellorAfterMs.normal, marked for supervisors', async () => {
    const wait = { normal: 14_000, urgent: 10_000 };
    const service = await scenario.start({ queue: { wideningMs: WIDENING, anyCounsellorAfterMs: wait } });
    const mandarin = await scenario.phone('1002', true, { talkMs: TALK_MS }); // legal, general; Mandarin only
    await scenario.waitForCounsellor(service, 'c1002', 'available');
    // Cantonese (2), then a person (0): no skill needed, only the language does not match.
    const caller = await scenario.caller({ callerNumber: '13800000263', keys: [{ key: '2', afterMs: 1000 }, { key: '0', afterMs: 1000 }], holdMs: 50_000, hangup: 'remote' });
    const callId = await callIdOf(caller);
    const { enter, offer, afterMs } = await enterAndOffer(service, callId);
    expect(enter.data).toMatchObject({ need: 'general', team: null, areaSource: 'province' });
    expect(offer).toMatchObject({ counsellorId: 'c1002', data: { widened: true } });
    expect(afterMs, `not before the wait (${afterMs} ms)`).toBeGreaterThanOrEqual(wait.normal - 100);
    expect(afterMs, `within the wait + ${SLACK_MS} ms (${afterMs} ms)`).toBeLessThan(wait.normal + SLACK_MS);
    await scenario.waitForInvites(mandarin, 1, '1002 rung for the Cantonese caller');
    await expectCompleted(service, caller, callId, 'c1002');
    expect(await scenario.endedCall(service, callId)).toMatchObject({ language: 'yue', need: 'general' });
  }, 120_000);
});
