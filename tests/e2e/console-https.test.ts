import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asteriskRx } from '../../src/adapters/asterisk/asterisk-process.ts';
import { pbxForProfile, TEST_TLS_HOST } from '../../src/adapters/asterisk/pbx-profile.ts';
import { AriInspector } from './support/ari-inspector.ts';
import { consoleCanGoAvailable, consolePhoneRegistered, endEachBrowserTest, openBrowser, signIn } from './support/browser.ts';
import { bridgeWith, consoleTestConfig, startCaller, webPassword } from './support/peers.ts';
import { startService } from './support/service.ts';
import type { SippRun } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * The console as a counsellor on another computer uses it: the pages over HTTPS under a host name
 * other than localhost (hotline.test, mapped to 127.0.0.1 inside Chromium), the softphone over WSS
 * to Asterisk's TLS port, both with the test profile's generated certificate, which Chromium is
 * told to trust by its key (--ignore-certificate-errors-spki-list), not by ignoring all errors.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const { params, certificate } = pbxForProfile(ROOT, 'test');
const tls = params.tls!;
const ari = new AriInspector();
const parts = endEachBrowserTest(ari);

describe('console over HTTPS and WSS', () => {
  it('signs in with a Secure HttpOnly cookie only, registers the softphone over WSS and is rung for a caller', async () => {
    const config = consoleTestConfig();
    const service = (parts.service = await startService({
      env: {
        HOTLINE_CONFIG: config,
        HTTP_TLS_CERT_FILE: certificate.certFile, HTTP_TLS_KEY_FILE: certificate.keyFile, TEST_CA_FILE: certificate.caFile,
        SIP_WS_URL: `wss://${TEST_TLS_HOST}:${tls.httpsPort}/ws`,
      },
    }));
    expect(service.url).toMatch(/^https:/);
    const base = `https://${TEST_TLS_HOST}:${service.env.HTTP_PORT}`;
    const browser = (parts.browser = await openBrowser(base, {
      args: [`--host-resolver-rules=MAP ${TEST_TLS_HOST} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${certificate.spki}`],
    }));
    const { page, context } = browser;
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));

    await signIn(page, '/console.html', 'c1001', webPassword('c1001'));
    expect(await page.evaluate(() => [location.protocol, window.isSecureContext])).toEqual(['https:', true]);

    // The session is an HttpOnly, Secure, SameSite=Strict cookie; page script holds no token.
    const session = (await context.cookies()).find((c) => c.name === 'hotline_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', domain: TEST_TLS_HOST });
    const visible = await page.evaluate(() => ({
      cookie: document.cookie,
      stored: [...Object.values({ ...sessionStorage }), ...Object.values({ ...localStorage })].join(' '),
    }));
    expect(visible.cookie).not.toContain('hotline_session');
    expect(visible.stored).not.toContain(session!.value);

    // The softphone registers over WSS, and the live events (SSE, cookie only) are up.
    await consolePhoneRegistered(page, 20_000);
    expect(sockets.length).toBeGreaterThan(0);
    expect(sockets.every((u) => u.startsWith(`wss://${TEST_TLS_HOST}:${tls.httpsPort}/`)), sockets.join(', ')).toBe(true);
    await expect.poll(() => page.locator('#live-status').getAttribute('data-tone'), { message: 'live events connected' }).toBe('ok');
    await waitFor('web1001 online in Asterisk', async () =>
      (await ari.request<Array<{ resource: string; state: string }>>('GET', '/endpoints/PJSIP')).find((e) => e.resource === 'web1001' && e.state === 'online'));

    await consoleCanGoAvailable(page);
    await page.locator('#state-available').click();
    await expect.poll(() => page.locator('#my-status').getAttribute('data-status'), { message: 'counsellor available' }).toBe('available');

    const callerNumber = '13912340055';
    parts.track<SippRun>(await startCaller({
      callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs: 15_000, hangup: 'caller',
    }));
    const caller = await waitFor('the caller in Stasis', () => ari.channelOf(callerNumber));
    await page.locator('#incoming').waitFor({ state: 'visible', timeout: 30_000 });
    expect((await ari.channels()).some((c) => c.name.startsWith('PJSIP/web1001-')), 'Asterisk rings the browser over WSS').toBe(true);
    await page.locator('#answer').click();
    const bridge = await waitFor('caller and browser counsellor in one bridge', async () => {
      const b = await bridgeWith(ari, caller.id);
      return b && b.bridge_type === 'mixing' && b.channels.length === 2 ? b : undefined;
    }, 10_000);
    const counsellorLeg = (await ari.channels()).find((c) => bridge.channels.includes(c.id) && c.id !== caller.id);
    expect(counsellorLeg?.name).toMatch(/^PJSIP\/web1001-/);
    // Everything the softphone said went over the WSS connections seen above: no plain ws:// was opened.
    expect(sockets.every((u) => u.startsWith('wss://')), sockets.join(', ')).toBe(true);

    // No page broke its Content-Security-Policy on the way.
    expect(browser.log.filter((l) => /Content Security Policy|Refused to/i.test(l))).toEqual([]);
  });

  it('offers SIP over TLS to desk phones with the same certificate', async () => {
    const ca = readFileSync(certificate.caFile);
    const peer = await new Promise<{ authorized: boolean; error: string | null; names: string }>((done, fail) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: tls.sipTlsPort, servername: TEST_TLS_HOST, ca }, () => {
        done({ authorized: socket.authorized, error: socket.authorizationError?.message ?? null, names: socket.getPeerCertificate().subjectaltname ?? '' });
        socket.end();
      });
      socket.once('error', fail);
    });
    expect(peer).toMatchObject({ authorized: true, error: null });
    expect(peer.names).toContain(`DNS:${TEST_TLS_HOST}`);
    expect(asteriskRx(params, 'pjsip show transport transport-tls')).toMatch(/protocol\s*:\s*tls/i);
    expect(asteriskRx(params, 'pjsip show endpoint 1001')).toMatch(/media_encryption\s*:\s*sdes/);
  });
});
