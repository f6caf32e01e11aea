import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AriInspector } from './support/ari-inspector.ts';
import { consoleCanGoAvailable, consolePhoneRegistered, endEachBrowserTest, openBrowser, signIn, textOf } from './support/browser.ts';
import { hotlineConfigWith, webPassword } from './support/peers.ts';
import { e2eDatabaseUrl, forgetFutureQueueEvents, startService } from './support/service.ts';
import { callerPhoneUas } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * The counsellor console in Chromium makes a follow-up call (回访) the service starts by itself: the
 * browser phone rings and the follow-up card shows the case (grade, summary, attempt 1 of 2) while
 * the person's phone has not rung yet; the counsellor answers, the person's phone on the carrier
 * side rings and answers, and the outcome button records "reached, safe, satisfied".
 */

const ari = new AriInspector();
const parts = endEachBrowserTest(ari);
let db: pg.Pool;

beforeAll(() => {
  db = new pg.Pool({ connectionString: e2eDatabaseUrl(), max: 1 });
});
afterAll(async () => {
  if (db) await forgetFutureQueueEvents(db);
  await db?.end();
});

describe('counsellor console: a follow-up call', () => {
  it('shows the case while the browser phone rings, before the person is dialled; the outcome button records it', async () => {
    const config = hotlineConfigWith((c) => {
      c.queue!.presenceFollowsRegistration = false;
      c.followUps = { grades: { 1: { firstAfterMinutes: 0, retryAfterMinutes: [0], maxAttempts: 2 } }, sweepEveryMs: 1000 };
    });
    const now = '2026-12-08T02:00:00.000Z';
    const service = (parts.service = await startService({ env: { HOTLINE_CONFIG: config, HOTLINE_NOW: now } }));
    await db.query('TRUNCATE follow_ups, work_order_deliveries, work_order_outbox, work_order_events, work_orders, cases RESTART IDENTITY');
    const person = parts.track(await callerPhoneUas({ mode: 'answer', talkMs: 8000, ringMs: 500 }));

    const { page } = (parts.browser = await openBrowser(service.url));
    await signIn(page, '/console.html', 'c1001', webPassword('c1001'));
    await consolePhoneRegistered(page);
    await consoleCanGoAvailable(page);
    await page.locator('#state-available').click();
    await expect.poll(() => page.locator('#my-status').getAttribute('data-status'), { message: 'counsellor available' }).toBe('available');

    // A saved 一级 case of c1001's with consent: due at once.
    await db.query(
      `INSERT INTO cases (id, call_id, idempotency_key, kind, status, counsellor_id, categories, grade, summary, consent, caller_number, created_at, updated_at, saved_at)
       VALUES ('fu-browser-case', 'fu-browser-call', 'fu-browser', 'counselled', 'saved', 'c1001', '{study}', 1, '考前失眠，同意回访',
               '{"followUpCall": true, "centreContact": false}', '13800135701', $1, $1, $1)`,
      [now],
    );

    const card = page.locator('#follow-up-card');
    await card.waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('#incoming').waitFor({ state: 'visible', timeout: 10_000 });
    const info = await textOf(page, '#follow-up-info');
    expect(info).toContain('一级');
    expect(info).toContain('考前失眠，同意回访');
    expect(info).toContain('第 1 / 2 次');
    expect(info).not.toContain('13800135701');
    expect(person.invites(), 'the person is not rung before the counsellor answers').toEqual([]);
    expect(await page.locator('#follow-up-outcomes button').first().isDisabled()).toBe(true);

    await page.locator('#answer').click();
    const invite = await waitFor('the INVITE at the person\'s phone', async () => person.invites()[0], 20_000);
    expect(invite.firstLine).toContain('sip:13800135701@');
    expect(invite.headers.from).toContain('12355');
    const satisfied = page.locator('#follow-up-outcomes button', { hasText: '已联系，安全，满意' });
    await expect.poll(() => satisfied.isEnabled(), { timeout: 20_000, message: 'outcome buttons once connected' }).toBe(true);
    await satisfied.click();
    await card.waitFor({ state: 'hidden', timeout: 10_000 });
    const row = (await db.query("SELECT outcome, satisfied, counsellor_id FROM follow_ups WHERE case_id = 'fu-browser-case'")).rows;
    expect(row).toEqual([{ outcome: 'reached-safe', satisfied: true, counsellor_id: 'c1001' }]);
  }, 150_000);
});
