import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pbxForProfile } from '../../src/adapters/asterisk/pbx-profile.ts';
import { AriInspector } from './support/ari-inspector.ts';
import { tlsPhone, type TlsPhone } from './support/baresip.ts';
import { bridgeWith, hotlineConfigWith, startCaller } from './support/peers.ts';
import { startService, type RunningService } from './support/service.ts';
import type { SippRun } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * A desk phone on SIP over TLS with SRTP (baresip, mediaenc=srtp: SDES keys in an RTP/AVP offer,
 * as Asterisk offers them while SRTP is optional): it registers on the TLS transport, the
 * counsellor goes available by that registration, and a queued caller is put through to it with
 * the phone's media encrypted.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const { params, certificate } = pbxForProfile(ROOT, 'test');
const ari = new AriInspector();
let service: RunningService | undefined;
let phone: TlsPhone | undefined;
let caller: SippRun | undefined;

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    if (phone) console.error(`baresip log (tail):\n${phone.log().slice(-4000)}`);
    if (service) console.error(`service log (tail):\n${service.logs().split('\n').slice(-30).join('\n')}`);
  }
  await caller?.stop();
  await phone?.stop();
  await service?.stop();
  caller = phone = service = undefined;
  await ari.clear();
});

const variable = async (channelId: string, name: string) =>
  (await ari.request<{ value: string }>('GET', `/channels/${channelId}/variable?variable=${encodeURIComponent(name)}`)).value;

describe('desk phone over SIP TLS with SRTP', () => {
  it('registers over TLS and takes a queued caller with SRTP media', async () => {
    service = await startService({ env: { HOTLINE_CONFIG: hotlineConfigWith((c) => void (c.ivr!.privacyNotice = 'digit_0')) } });
    phone = await tlsPhone({ sipUser: '1001', tlsPort: params.tls!.sipTlsPort, caFile: certificate.caFile, srtp: 'srtp' });
    await waitFor('phone 1001 online in Asterisk', async () =>
      (await ari.request<Array<{ resource: string; state: string }>>('GET', '/endpoints/PJSIP')).find((e) => e.resource === '1001' && e.state === 'online'), 10_000);

    const callerNumber = '13912340066';
    caller = await startCaller({ callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs: 15_000, hangup: 'caller' });
    const callerLeg = await waitFor('the caller in Stasis', () => ari.channelOf(callerNumber));
    const bridge = await waitFor('caller and TLS phone in one bridge', async () => {
      const b = await bridgeWith(ari, callerLeg.id);
      return b && b.bridge_type === 'mixing' && b.channels.length === 2 ? b : undefined;
    }, 30_000);
    const phoneLeg = (await ari.channels()).find((c) => bridge.channels.includes(c.id) && c.id !== callerLeg.id);
    expect(phoneLeg?.name).toMatch(/^PJSIP\/1001-/);
    expect(await variable(phoneLeg!.id, 'CHANNEL(pjsip,secure)'), 'signalling to the phone over TLS').toBe('1');
    expect(await variable(phoneLeg!.id, 'CHANNEL(rtp,secure)'), 'the phone leg\'s media is SRTP').toBe('1');
    expect(await variable(callerLeg.id, 'CHANNEL(rtp,secure)'), 'the carrier leg stays plain RTP').toBe('0');
  });
});
