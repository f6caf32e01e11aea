import { describe, expect, it } from 'vitest';
import { AriInspector, type AriChannel } from './support/ari-inspector.ts';
import { consoleCanGoAvailable, consolePhoneRegistered, endEachBrowserTest, openBrowser, signIn, textOf } from './support/browser.ts';
import { bridgeWith, consoleTestConfig, gotBye, startCaller, webPassword } from './support/peers.ts';
import { startService } from './support/service.ts';
import { counsellorPhone } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * The console's warm transfer (咨询后转接) in a real browser: c1001 answers in Chromium, picks
 * colleague c1002 (a SIPp phone), consults while the caller holds, then presses 完成转接.
 */

const ari = new AriInspector();
const parts = endEachBrowserTest(ari);

describe('console warm transfer in Chromium', () => {
  it('consult, then complete: the caller ends up with the colleague and the counsellor in wrap-up', async () => {
    const config = consoleTestConfig();
    const service = (parts.service = await startService({ env: { HOTLINE_CONFIG: config } }));
    parts.track(await counsellorPhone({ sipUser: '1002', answer: true, ringMs: 1500, talkMs: 120_000 }));
    const colleague = await service.login('c1002');
    await waitFor('1002 registered', async () =>
      (await ari.request<Array<{ resource: string; state: string }>>('GET', '/endpoints/PJSIP')).some((e) => e.resource === '1002' && e.state === 'online') || undefined, 10_000);

    const { page } = (parts.browser = await openBrowser(service.url));
    await signIn(page, '/console.html', 'c1001', webPassword('c1001'));
    await consolePhoneRegistered(page);
    await consoleCanGoAvailable(page);
    await page.locator('#state-available').click();
    await expect.poll(() => page.locator('#my-status').getAttribute('data-status')).toBe('available');

    const callerNumber = '13912340311';
    const caller = parts.track(await startCaller({ callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs: 40_000, hangup: 'caller' }));
    const callerChannel: AriChannel = await waitFor('the caller in Stasis', () => ari.channelOf(callerNumber));
    await page.locator('#incoming').waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('#answer').click();
    await waitFor('caller and browser counsellor in one bridge', async () => {
      const b = await bridgeWith(ari, callerChannel.id);
      return b && b.bridge_type === 'mixing' && b.channels.length === 2 ? b : undefined;
    }, 10_000);

    // The colleague signs in only now, so the queue never offers them this caller.
    const went = await service.api('/api/counsellors/me/state', colleague, { method: 'POST', body: JSON.stringify({ action: 'login' }), headers: { 'content-type': 'application/json' } });
    expect(went.status).toBe(200);
    await page.locator('#transfer-to').focus();
    await expect.poll(() => page.locator('#transfer-to option[value="c1002"]').count(), { message: 'c1002 offered as a colleague' }).toBe(1);
    await page.locator('#transfer-to').selectOption('c1002');
    await page.locator('#transfer-warm').click();

    await expect.poll(() => page.locator('#transfer-complete').isEnabled(), { timeout: 15_000, message: 'complete enabled once the colleague answered' }).toBe(true);
    expect(await textOf(page, '#transfer-status')).toContain('正在与同事商量');
    const hold = (await ari.bridges()).find((b) => b.channels.includes(callerChannel.id));
    expect(hold?.bridge_type, 'the caller holds while the counsellor consults').toBe('holding');

    await page.locator('#transfer-complete').click();
    const desk = await waitFor('the colleague phone leg', async () => (await ari.channels()).find((c) => c.name.startsWith('PJSIP/1002-')));
    await waitFor('caller and colleague in one bridge', async () => {
      const b = await bridgeWith(ari, callerChannel.id);
      return b && b.bridge_type === 'mixing' && b.channels.length === 2 && b.channels.includes(desk.id) ? b : undefined;
    }, 10_000);
    await expect.poll(() => page.locator('#wrap-up').isVisible(), { message: 'the counsellor is in wrap-up' }).toBe(true);
    expect(gotBye(caller), 'nobody hung up on the caller').toBe(false);

    const r = await caller.done;
    expect(r.exitCode, r.log).toBe(0);
    await ari.waitForNoLeftovers(8000);
  });
});
