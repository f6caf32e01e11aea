import { describe, expect, it } from 'vitest';
import { escalationLabel, needLabel } from '../../web/src/shared/labels.ts';
import { AriInspector, type AriChannel } from './support/ari-inspector.ts';
import { consoleCanGoAvailable, consolePhoneRegistered, endEachBrowserTest, openBrowser, signIn, textOf } from './support/browser.ts';
import { bridgeWith, consoleTestConfig, gotBye, startCaller, webPassword } from './support/peers.ts';
import { startService } from './support/service.ts';
import { policeUas, type Peer, type SippRun } from './support/sipp.ts';
import { sleep, waitFor } from './support/wait.ts';

/**
 * The counsellor console in a real browser: Chromium signs in, its SIP.js phone registers over
 * WebSocket to Asterisk, takes a queued call and escalates it to 110 with the red button.
 */

const ari = new AriInspector();
const parts = endEachBrowserTest(ari);

/** One look at the caller's leg: its state, the bridge it is in, and Asterisk's RTP counters for it. */
interface Sample { at: number; state: string | undefined; bridge: string | undefined; tx: number; rx: number }
async function sample(callerId: string): Promise<Sample> {
  const [channels, bridge, rtp] = await Promise.all([ari.channels(), bridgeWith(ari, callerId), ari.rtpStats(callerId)]);
  return { at: Date.now(), state: channels.find((c) => c.id === callerId)?.state, bridge: bridge?.id, tx: rtp.txcount, rx: rtp.rxcount };
}

describe('counsellor console in Chromium', () => {
  it('registers the browser phone, answers a queued caller and escalates to 110 with the caller kept on the line', async () => {
    // Presence does not follow registration here, so that "go available" is the console's own button;
    // the privacy notice a queued caller hears before a counsellor rings is cut to a short prompt.
    const config = consoleTestConfig();
    const service = (parts.service = await startService({ env: { HOTLINE_CONFIG: config } }));
    const police: Peer = parts.track(await policeUas({ mode: 'answer' }));

    const { page } = (parts.browser = await openBrowser(service.url));
    await signIn(page, '/console.html', 'c1001', webPassword('c1001'));
    await consolePhoneRegistered(page);
    const web = await waitFor('web1001 online in Asterisk', async () =>
      (await ari.request<Array<{ resource: string; state: string }>>('GET', '/endpoints/PJSIP')).find((e) => e.resource === 'web1001' && e.state === 'online'));
    expect(web).toBeDefined();

    await consoleCanGoAvailable(page);
    await page.locator('#state-available').click();
    await expect.poll(() => page.locator('#my-status').getAttribute('data-status'), { message: 'counsellor available' }).toBe('available');

    const callerNumber = '13912345678';
    // Mandarin (1), psychological (1); then on the line until it hangs up itself, 25 s after the keys.
    const caller: SippRun = parts.track(await startCaller({
      callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs: 25_000, hangup: 'caller', rtpEcho: true,
    }));
    const callerChannel: AriChannel = await waitFor('the caller in Stasis', () => ari.channelOf(callerNumber));

    await page.locator('#incoming').waitFor({ state: 'visible', timeout: 30_000 });
    const ringing = (await ari.channels()).find((c) => c.name.startsWith('PJSIP/web1001-'));
    expect(ringing, 'Asterisk rings the browser (web1001), not the phone').toBeDefined();
    await page.locator('#answer').click();

    const connected = await waitFor('caller and browser counsellor in one bridge', async () => {
      const b = await bridgeWith(ari, callerChannel.id);
      return b && b.bridge_type === 'mixing' && b.channels.length === 2 ? b : undefined;
    }, 10_000).catch(async (e: Error) => {
      // Say why, if the browser leg is up but not bridged: e.g. a codec Asterisk cannot translate.
      const web = (await ari.channels()).find((c) => c.name.startsWith('PJSIP/web1001-'));
      const format = web && (await ari.request<{ value: string }>('GET', `/channels/${web.id}/variable?variable=${encodeURIComponent('CHANNEL(audionativeformat)')}`).catch(() => ({ value: '?' }))).value;
      throw new Error(`${e.message}; browser leg ${web ? `${web.name} ${web.state}, audio ${format}` : 'gone'}; bridges ${JSON.stringify(await ari.bridges())}`);
    });
    const counsellorId = connected.channels.find((id) => id !== callerChannel.id)!;
    expect((await ari.channels()).find((c) => c.id === counsellorId)?.name).toMatch(/^PJSIP\/web1001-/);
    await expect.poll(() => textOf(page, '#call-info'), { message: 'call details shown' }).toContain(needLabel('psychological'));

    // The red button. From here on the caller's leg is watched: Up, in the call bridge, audio flowing.
    const samples: Sample[] = [await sample(callerChannel.id)];
    await page.locator('#escalate').click();
    const escalatedAt = Date.now();

    const invite = await waitFor('the INVITE at the 110 line', async () => police.invites()[0], 10_000);
    const identity = `${invite.headers.from ?? ''} ${invite.headers['p-asserted-identity'] ?? ''}`;
    expect(identity, 'the caller\'s number goes to 110').toContain(callerNumber);

    let threeWay: string[] | undefined;
    while (!threeWay) {
      const s = await sample(callerChannel.id);
      samples.push(s);
      const b = (await ari.bridges()).find((x) => x.id === connected.id);
      if (b && b.channels.length === 3) threeWay = b.channels;
      if (Date.now() - escalatedAt > 20_000) throw new Error(`110 not in the call bridge 20 s after the button: ${JSON.stringify(b)}`);
      await sleep(250);
    }
    // A few more seconds of the three-way call.
    for (let i = 0; i < 12; i++) {
      await sleep(250);
      samples.push(await sample(callerChannel.id));
    }

    const channels = await ari.channels();
    const names = threeWay.map((id) => channels.find((c) => c.id === id)?.name ?? id);
    expect(threeWay).toContain(callerChannel.id);
    expect(threeWay).toContain(counsellorId);
    expect(names.some((n) => n.startsWith('PJSIP/web1001-')), names.join(', ')).toBe(true);
    expect(names.some((n) => n.startsWith('PJSIP/emergency-')), names.join(', ')).toBe(true);
    expect((await ari.bridges()).find((b) => b.id === connected.id)?.bridge_type).toBe('mixing');
    await expect.poll(() => textOf(page, '#escalation-status'), { message: 'console shows 110 connected' }).toContain(escalationLabel('connected'));

    // The caller was never out of the bridge nor down, and audio reached it throughout: in every
    // second Asterisk sent it at least half the 50 packets of 20 ms audio (tx) and, since the caller
    // echoes what it receives, got them back (rx).
    for (const s of samples) {
      expect(s.state, `caller channel at +${s.at - escalatedAt} ms`).toBe('Up');
      expect(s.bridge, `caller bridge at +${s.at - escalatedAt} ms`).toBe(connected.id);
    }
    // Asterisk restarts a channel's RTP counters when the stream's source changes (seen once as rx
    // going from 73 to 58 while the police joined): a window with a restart is judged from the
    // sample after it, and there must be enough windows without one.
    let windows = 0;
    for (let i = 0, j = 0; i < samples.length; i++) {
      while (j < samples.length && samples[j]!.at - samples[i]!.at < 1000) j++;
      if (j >= samples.length) break;
      const span = samples.slice(i, j + 1);
      if (span.some((s, n) => n > 0 && (s.tx < span[n - 1]!.tx || s.rx < span[n - 1]!.rx))) continue;
      windows++;
      expect(samples[j]!.tx, `RTP sent to the caller between +${samples[i]!.at - escalatedAt} and +${samples[j]!.at - escalatedAt} ms`).toBeGreaterThanOrEqual(samples[i]!.tx + 25);
      expect(samples[j]!.rx, `RTP echoed back by the caller between +${samples[i]!.at - escalatedAt} and +${samples[j]!.at - escalatedAt} ms`).toBeGreaterThanOrEqual(samples[i]!.rx + 25);
    }
    expect(windows, 'one-second windows with unbroken RTP counters').toBeGreaterThanOrEqual(3);
    expect(gotBye(caller), 'nobody hung up on the caller').toBe(false);

    // The caller ends the call: every leg goes with it.
    const r = await caller.done;
    expect(r.exitCode, r.log).toBe(0);
    expect(gotBye({ messages: () => r.messages })).toBe(false);
    await ari.waitForNoLeftovers(8000);
    await expect.poll(() => page.locator('#incoming').isVisible()).toBe(false);
  });
});
