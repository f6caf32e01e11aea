import { describe, expect, it } from 'vitest';
import { needLabel } from '../../web/src/shared/labels.ts';
import { AriInspector } from './support/ari-inspector.ts';
import { consoleCanGoAvailable, consolePhoneRegistered, endEachBrowserTest, openBrowser, signIn, textOf } from './support/browser.ts';
import { bookCallback } from './support/callbacks.ts';
import { bridgeWith, hotlineConfigWith, webPassword } from './support/peers.ts';
import { startService } from './support/service.ts';
import { callerPhoneUas, saw } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * The counsellor console in Chromium dials a booked callback: the row shows the masked number,
 * "回拨" rings the browser phone first, the counsellor answers, the caller's phone on the carrier
 * side rings and answers, the call details show, and when the caller hangs up the console wraps up.
 */

const ari = new AriInspector();
const parts = endEachBrowserTest(ari);

describe('counsellor console: dialling a callback back', () => {
  it('lists the callback, rings the browser phone first, then connects the caller; the row is gone', async () => {
    const config = hotlineConfigWith((c) => {
      c.queue!.presenceFollowsRegistration = false;
      c.queue!.callbackOfferUnstaffedAfterMs = 1000;
      c.ivr!.privacyNotice = 'digit_0';
    });
    const service = (parts.service = await startService({ env: { HOTLINE_CONFIG: config } }));
    const token = await service.login('c1001', webPassword('c1001'));
    const number = '13500000401';
    const booked = await bookCallback(service, token, number, ari);
    const phone = parts.track(await callerPhoneUas({ mode: 'answer', talkMs: 6000, ringMs: 500 }));

    const { page } = (parts.browser = await openBrowser(service.url));
    await signIn(page, '/console.html', 'c1001', webPassword('c1001'));
    await consolePhoneRegistered(page);
    const row = page.locator(`#callbacks-table tbody tr[data-job-id="${booked.jobId}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect((await row.locator('td').first().textContent())?.trim()).toBe('135******01');
    expect(await row.locator('[data-testid="callback-dial"]').isDisabled(), 'no dial-back while signed out').toBe(true);

    await consoleCanGoAvailable(page);
    await page.locator('#state-available').click();
    await expect.poll(() => page.locator('#my-status').getAttribute('data-status'), { message: 'counsellor available' }).toBe('available');
    await expect.poll(() => row.locator('[data-testid="callback-dial"]').isEnabled(), { message: 'dial-back enabled' }).toBe(true);
    await row.locator('[data-testid="callback-dial"]').click();

    // The browser phone rings first; the caller is dialled only once it is answered.
    await page.locator('#incoming').waitFor({ state: 'visible', timeout: 20_000 });
    expect(phone.invites(), 'the caller is not rung before the counsellor answers').toEqual([]);
    await expect.poll(() => row.count(), { message: 'the callback leaves the list while it is dialled' }).toBe(0);
    await page.locator('#answer').click();

    const invite = await waitFor('the INVITE at the caller\'s phone', async () => phone.invites()[0], 20_000);
    expect(invite.firstLine).toContain(`sip:${number}@`);
    const callerLeg = await waitFor('the caller\'s leg', async () => (await ari.channels()).find((c) => c.id.startsWith('dialback-') && !c.id.startsWith('dialback-agent-')));
    const bridge = await waitFor('caller and browser counsellor in one bridge', async () => {
      const b = await bridgeWith(ari, callerLeg.id);
      return b && b.channels.length === 2 ? b : undefined;
    }, 15_000);
    expect((await ari.channels()).find((c) => bridge.channels.includes(c.id) && c.id !== callerLeg.id)?.name).toMatch(/^PJSIP\/web1001-/);
    await expect.poll(() => textOf(page, '#call-info'), { message: 'call details shown' }).toContain(needLabel('psychological'));
    expect(await textOf(page, '#call-info')).not.toContain(number);

    // The caller hangs up after 6 s: the console moves to wrap-up, and nothing is left in Asterisk.
    await waitFor('the caller hung up', async () => (saw({ messages: phone.messages() }, 'received', 200, 'BYE') ? true : undefined), 20_000);
    await page.locator('#wrap-up').waitFor({ state: 'visible', timeout: 10_000 });
    await ari.waitForNoLeftovers(10_000);
    expect(await row.count()).toBe(0);
  }, 150_000);
});
