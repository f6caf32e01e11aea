import { describe, expect, it } from 'vitest';
import { languageLabel, lineLabel, needLabel, statusLabel } from '../../web/src/shared/labels.ts';
import { AriInspector } from './support/ari-inspector.ts';
import { endEachBrowserTest, openBrowser, signIn, textOf } from './support/browser.ts';
import { hotlineConfigWith, sipPhone, startCaller, webPassword } from './support/peers.ts';
import { startService } from './support/service.ts';
import type { SippRun } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * The supervisor dashboard in headless Chromium against the live stack: waiting callers show up
 * in the queue table at once with their line and need, leave it when a counsellor answers, the
 * counsellor's row follows, and today's figures agree with the queue event log.
 */

const ari = new AriInspector();
const parts = endEachBrowserTest(ari);

interface QueueEvent { at: string; type: string; callId?: string; counsellorId?: string }

describe('supervisor dashboard in Chromium', () => {
  it('shows waiting callers within a second, drops the one a counsellor answers, follows the counsellor, and counts like the event log', async () => {
    // A one-word privacy notice, so that the caller is offered as soon as a counsellor is there.
    const config = hotlineConfigWith((c) => void (c.ivr!.privacyNotice = 'digit_0'));
    const s = (parts.service = await startService({ env: { HOTLINE_CONFIG: config } }));
    const token = await s.login('s2001', webPassword('s2001'));
    const events = async (since?: string) =>
      (await s.api<{ events: QueueEvent[] }>(`/api/queue/events${since ? `?since=${encodeURIComponent(since)}` : ''}`, token)).body.events;

    const { page } = (parts.browser = await openBrowser(s.url));
    await signIn(page, '/supervisor.html', 's2001', webPassword('s2001'));
    await page.locator('#counsellors-table tbody tr[data-counsellor-id="c1001"]').waitFor();
    expect(await page.locator('#counsellors-table tbody tr[data-counsellor-id="c1001"]').getAttribute('data-status')).toBe('offline');
    await expect.poll(() => page.locator('#live-status').getAttribute('data-tone'), { message: 'live events connected' }).toBe('ok');
    // When each call's row first appears in the queue table, by the page's clock (the machine's, as the service's).
    await page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { seenRows: Record<string, number> }).seenRows = seen;
      const note = () => {
        for (const tr of Array.from(document.querySelectorAll('#queue-table tbody tr[data-call-id]'))) seen[tr.getAttribute('data-call-id')!] ??= Date.now();
      };
      new MutationObserver(note).observe(document.querySelector('#queue-table tbody')!, { childList: true, subtree: true, attributes: true });
      note();
    });
    // Today's figures before these callers (earlier tests of the run share the database).
    await expect.poll(() => textOf(page, '#stats-offered'), { message: 'figures loaded' }).toMatch(/^\d+$/);
    const figures = async () => ({ offered: Number(await textOf(page, '#stats-offered')), answered: Number(await textOf(page, '#stats-answered')) });
    const before = await figures();
    const testStart = new Date().toISOString();
    const seenAt = async (callId: string) => page.evaluate((id) => (window as unknown as { seenRows: Record<string, number> }).seenRows[id], callId);

    // Nobody is signed in: both callers wait. Mandarin/psychological and Cantonese/legal.
    const callers: Array<{ number: string; keys: string[]; need: string; language: string; run?: SippRun }> = [
      { number: '13500000201', keys: ['1', '1'], need: 'psychological', language: 'cmn' },
      { number: '13500000202', keys: ['2', '2'], need: 'legal', language: 'yue' },
    ];
    const ids: string[] = [];
    for (const c of callers) {
      c.run = parts.track(await startCaller({ callerNumber: c.number, keys: c.keys.map((key) => ({ key, afterMs: 1000 })), holdMs: 60_000, hangup: 'remote' }));
      const channel = await waitFor(`caller ${c.number} in Stasis`, () => ari.channelOf(c.number), 10_000);
      ids.push(channel.id);
      const enter = await waitFor(`caller ${c.number} entering the queue`, async () => (await events()).find((e) => e.type === 'enter' && e.callId === channel.id), 15_000);
      const shown = await waitFor(`caller ${c.number} in the queue table`, () => seenAt(channel.id), 5000);
      expect(shown - Date.parse(enter.at), `caller ${c.number} on the dashboard after entering the queue (ms)`).toBeLessThan(1000);
      const cells = await page.locator(`#queue-table tbody tr[data-call-id="${channel.id}"] td`).allTextContents();
      expect(cells[1], 'line').toBe(lineLabel('main'));
      expect(cells[2], 'need').toBe(needLabel(c.need));
      expect(cells[3], 'language').toBe(languageLabel(c.language));
    }
    expect(await page.locator('#queue-table tbody tr[data-call-id]').count()).toBe(2);
    expect(await textOf(page, '#queue-count')).toBe('2');

    // Counsellor 1001's phone registers (presence follows) and answers the psychological caller.
    parts.track(await sipPhone({ sipUser: '1001', talkMs: 60_000 }));
    const [psychological, legal] = ids as [string, string];
    await waitFor('the psychological caller connected', async () => ((await events()).some((e) => e.type === 'connect' && e.callId === psychological) ? true : undefined), 15_000);
    await expect.poll(() => page.locator(`#queue-table tbody tr[data-call-id="${psychological}"]`).count(), { message: 'answered caller left the queue view', timeout: 3000 }).toBe(0);
    expect(await page.locator(`#queue-table tbody tr[data-call-id="${legal}"]`).count(), 'the legal caller still waits').toBe(1);
    const row = page.locator('#counsellors-table tbody tr[data-counsellor-id="c1001"]');
    await expect.poll(() => row.getAttribute('data-status'), { message: "counsellor's row on-call", timeout: 3000 }).toBe('on-call');
    expect(await row.locator('td').nth(1).textContent()).toBe(statusLabel('on-call'));
    await expect.poll(() => page.locator(`#active-calls tbody tr[data-call-id="${psychological}"]`).count(), { message: 'the call among active calls' }).toBe(1);

    // Today's figures are the event log's counts, by the stats' rules: callers offered (an 'enter'
    // of a call already offered today, such as a re-queued caller, is not a new one) and 'connect's.
    const tally = (list: QueueEvent[], offeredBefore = new Set<string | undefined>()) => ({
      offered: new Set(list.filter((e) => e.type === 'enter' && !offeredBefore.has(e.callId)).map((e) => e.callId)).size,
      answered: list.filter((e) => e.type === 'connect').length,
    });
    // These two callers: both entered, one connected. The dashboard must move by what the log holds
    // since the test began (a caller left by an earlier test file counts on both sides).
    // Up to now only: a test whose service ran on a clock set forward (HOTLINE_NOW) may have left
    // events dated later, counted on both sides of the dashboard's before and after.
    const upToNow = (list: QueueEvent[], now = new Date().toISOString()) => list.filter((e) => e.at <= now);
    const since = upToNow(await events(testStart));
    expect(tally(since.filter((e) => e.callId !== undefined && ids.includes(e.callId)))).toEqual({ offered: 2, answered: 1 });
    // Calls offered in the quarter hour before (an earlier file's caller re-queued now is not new).
    const recent = upToNow(await events(new Date(Date.parse(testStart) - 15 * 60_000).toISOString()));
    const offeredBefore = new Set(recent.filter((e) => e.type === 'enter' && e.at < testStart).map((e) => e.callId));
    const added = tally(since, offeredBefore);
    const moved = async () => {
      const now = await figures();
      return { offered: now.offered - before.offered, answered: now.answered - before.answered };
    };
    if (recent.length < 1000) {
      await expect.poll(moved, { message: 'the figures on the dashboard moved by what the event log holds', timeout: 10_000 }).toEqual(added);
    } else {
      // The log answers at most 1000 events: these two callers at least.
      await expect.poll(async () => { const m = await moved(); return m.offered >= 2 && m.answered >= 1; }, { message: 'the figures moved by these callers', timeout: 10_000 }).toBe(true);
    }
    const today = await events();
    if (today.length < 1000) await expect.poll(figures, { message: "the figures are today's event log counts", timeout: 10_000 }).toEqual(tally(today));
  });

  it('lists a callback a caller booked, and one click takes it: the full number shown to call back, the claim audited, a later claim refused', async () => {
    // Nobody is signed in: the caller is offered a callback a second after joining the queue.
    const config = hotlineConfigWith((c) => {
      c.ivr!.privacyNotice = 'digit_0';
      c.queue!.callbackOfferUnstaffedAfterMs = 1000;
    });
    const s = (parts.service = await startService({ env: { HOTLINE_CONFIG: config } }));
    const token = await s.login('s2001', webPassword('s2001'));
    const { page } = (parts.browser = await openBrowser(s.url));
    await signIn(page, '/supervisor.html', 's2001', webPassword('s2001'));
    await expect.poll(() => page.locator('#live-status').getAttribute('data-tone'), { message: 'live events connected' }).toBe('ok');
    expect(await page.locator('#callbacks-table tbody tr[data-job-id]').count()).toBe(0);

    // Mandarin, psychological, then key 1 every 1.5 s: the first press after the offer books it.
    const number = '13500000203';
    const keys = [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }, ...Array.from({ length: 20 }, () => ({ key: '1', afterMs: 1500 }))];
    parts.track(await startCaller({ callerNumber: number, keys, holdMs: 3000, hangup: 'caller' }));
    const row = page.locator('#callbacks-table tbody tr[data-job-id]');
    await row.first().waitFor({ timeout: 40_000 });
    expect(await row.count()).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 4)).toEqual(['135******03', lineLabel('main'), needLabel('psychological'), languageLabel('cmn')]);
    expect(await textOf(page, '#callbacks-count')).toBe('1');

    const jobId = await row.getAttribute('data-job-id');
    expect(jobId).toMatch(/^callback-/);
    await row.locator('[data-testid="callback-claim"]').click();
    await expect.poll(() => textOf(page, '#callback-claimed'), { message: 'the full number to call back' }).toContain(number);
    expect(await page.locator('#callback-claimed').isVisible()).toBe(true);
    await expect.poll(() => row.count(), { message: 'the claimed callback leaves the list' }).toBe(0);
    expect((await s.api<{ callbacks: unknown[] }>('/api/callbacks', token)).body.callbacks).toEqual([]);

    // A counsellor who tries to take the same callback a moment later hears it is taken, and gets no number.
    const counsellor = await s.login('c1001', webPassword('c1001'));
    const late = await s.api<{ error: { code: string }; callback?: unknown }>(`/api/callbacks/${encodeURIComponent(jobId!)}/claim`, counsellor, { method: 'POST', body: '{}' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('callback-taken');
    expect(JSON.stringify(late.body)).not.toContain(number);
    const audit = (await s.api<{ entries: Array<{ action: string; actor: string; target?: string }> }>('/api/audit', token)).body.entries;
    expect(audit.filter((e) => e.action === 'callback-claim')).toEqual([expect.objectContaining({ actor: 's2001', target: jobId })]);
  });
});
