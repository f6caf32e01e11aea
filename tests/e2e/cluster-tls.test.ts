import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clusterSipWsUrl } from '../../src/adapters/asterisk/cluster-profile.ts';
import { pbxForProfile, TEST_EDGE_HOST, TEST_TLS_HOST } from '../../src/adapters/asterisk/pbx-profile.ts';
import { tlsPhone, type TlsPhone } from './support/baresip.ts';
import { consolePhoneRegistered, inBrowser, signIn } from './support/browser.ts';
import { ClusterScenario, edgeRpc, ensureCluster, layout, stopCluster } from './support/cluster.ts';
import { webPassword } from './support/peers.ts';
import { waitFor } from './support/wait.ts';

/**
 * TLS at the cluster's edge (issue #15): a desk phone registers to Kamailio over SIP TLS and a
 * browser console, served over HTTPS under a name other than localhost, registers over WSS; each
 * takes a queued caller who arrived on a node. The carrier and the nodes stay plain SIP on loopback.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const { certificate } = pbxForProfile(ROOT, 'test');

interface Contact { Contact: { Address: string; Socket: string; Received?: string } }
type UlDump = { Domains: Array<{ Domain: { AoRs: Array<{ Info: { AoR: string; Contacts: Contact[] } }> } }> };

/** The registered contacts of one account at the edge (its location record). */
async function contactsOf(aor: string): Promise<Array<Contact['Contact']>> {
  const dump = await edgeRpc<UlDump>('ul.dump');
  return dump.Domains.flatMap((d) => d.Domain.AoRs).filter((a) => a.Info.AoR === aor).flatMap((a) => a.Info.Contacts.map((c) => c.Contact));
}

let scenario: ClusterScenario;
let phone: TlsPhone | undefined;
beforeAll(async () => ensureCluster(), 120_000);
afterAll(async () => stopCluster(), 60_000);
beforeEach(async () => {
  await ensureCluster();
  scenario = new ClusterScenario();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && phone) console.error(`baresip log (tail):\n${phone.log().slice(-4000)}`);
  await phone?.stop();
  phone = undefined;
  await scenario.cleanup(ctx.task.result?.state === 'fail');
});

describe('cluster edge over TLS', () => {
  it('a desk phone registers to Kamailio over SIP TLS and a queued caller on a node reaches it over TLS', async () => {
    const service = await scenario.start(0);
    phone = await tlsPhone({ sipUser: '1001', host: layout.edge.address, tlsPort: layout.edge.sipTlsPort, caFile: certificate.caFile });
    // Kamailio's location record: the phone is on the edge's TLS socket.
    const [contact] = await contactsOf('1001');
    expect(contact?.Socket).toBe(`tls:${layout.edge.address}:${layout.edge.sipTlsPort}`);
    expect(contact?.Received ?? '').toContain('transport=tls');
    await scenario.waitForCounsellor(service, 'c1001', 'available', 15_000);

    // The caller hangs up 15 s after choosing: the node's BYE must find the phone's TLS connection too.
    const caller = await scenario.caller('13800000700', 15_000, 'caller');
    const callId = await scenario.callIdOf(service, caller);
    await scenario.waitForEvent(service, 'the TLS phone connected', (e) => e.type === 'connect' && e.callId === callId && e.counsellorId === 'c1001', 30_000);
    // The offer came from the node through Kamailio, down the phone's TLS connection (baresip -s
    // prints every SIP message; the top Via of the INVITE it got is the edge's TLS socket).
    const invite = phone.log().split(/\n(?=INVITE sip:)/).find((m) => m.startsWith('INVITE sip:'));
    expect(invite, 'baresip received an INVITE').toBeDefined();
    expect(invite!).toMatch(new RegExp(`^Via: SIP/2\\.0/TLS ${layout.edge.address.replace(/\./g, '\\.')}:${layout.edge.sipTlsPort};`, 'mi'));
    expect(invite!).toMatch(/^Record-Route: <sip:127\.0\.1\.10:\d+;transport=tls;/mi);
    await waitFor('the caller\'s hang-up reaching the phone over TLS', async () => (/\nBYE sip:/.test(phone!.log()) ? true : undefined), 30_000);
    const bye = phone.log().split(/\n(?=BYE sip:)/).find((m) => m.startsWith('BYE sip:'))!;
    expect(bye).toMatch(new RegExp(`^Via: SIP/2\\.0/TLS ${layout.edge.address.replace(/\./g, '\\.')}:${layout.edge.sipTlsPort};`, 'mi'));
  }, 180_000);

  it('a console served over HTTPS registers through Kamailio over WSS and answers a queued caller', async () => {
    const wssUrl = clusterSipWsUrl(layout, { host: TEST_EDGE_HOST });
    const service = await scenario.start(0, 30_000, {
      HTTP_TLS_CERT_FILE: certificate.certFile, HTTP_TLS_KEY_FILE: certificate.keyFile, TEST_CA_FILE: certificate.caFile, SIP_WS_URL: wssUrl,
    });
    expect(service.url).toMatch(/^https:/);
    // The pages under hotline.test (127.0.0.1), the edge under sip.hotline.test (127.0.1.10): no localhost exemption.
    await inBrowser(`https://${TEST_TLS_HOST}:${service.env.HTTP_PORT}`, {
      args: [`--host-resolver-rules=MAP ${TEST_TLS_HOST} 127.0.0.1, MAP ${TEST_EDGE_HOST} ${layout.edge.address}`, `--ignore-certificate-errors-spki-list=${certificate.spki}`],
    }, async ({ page, log }) => {
      const sockets: string[] = [];
      const received: string[] = [];
      page.on('websocket', (ws) => {
        sockets.push(ws.url());
        ws.on('framereceived', (f) => received.push(String(f.payload)));
      });
      await signIn(page, '/console.html', 'c1001', webPassword('c1001'));
      expect(await page.evaluate(() => [location.protocol, window.isSecureContext])).toEqual(['https:', true]);
      await consolePhoneRegistered(page, 20_000);
      expect(sockets.length).toBeGreaterThan(0);
      expect(sockets.every((u) => u.startsWith(`wss://${TEST_EDGE_HOST}:${layout.edge.wssPort}/`)), sockets.join(', ')).toBe(true);
      const [contact] = await contactsOf('web1001');
      // WebSocket over the edge's TLS socket on the WSS port (Kamailio writes the flow as transport=ws).
      expect(contact?.Socket).toBe(`tls:${layout.edge.address}:${layout.edge.wssPort}`);
      expect(contact?.Received ?? '').toContain('transport=ws');
      await scenario.waitForCounsellor(service, 'c1001', 'available', 15_000);

      // The caller hangs up 20 s after choosing: the node's BYE must find the console's WSS connection.
      await scenario.answeredInConsole(service, page, '13800000701', 20_000, 'caller');
      await waitFor('the caller\'s hang-up reaching the console over WSS', async () => (received.some((m) => m.startsWith('BYE sip:')) ? true : undefined), 30_000);
      // Nothing went over plain ws://, and no page broke its Content-Security-Policy.
      expect(sockets.every((u) => u.startsWith('wss://')), sockets.join(', ')).toBe(true);
      expect(log.filter((l) => /Content Security Policy|Refused to/i.test(l))).toEqual([]);
    });
  }, 240_000);
});
