import { afterEach, describe, expect, it } from 'vitest';
import { AriInspector } from './support/ari-inspector.ts';
import { bookCallback, type PendingCallbackView } from './support/callbacks.ts';
import { hotlineConfigWith, sipPhone, webPassword } from './support/peers.ts';
import { startService, type RunningService } from './support/service.ts';
import { callerPhoneUas, saw, type Peer, type PeerMode } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * A callback dialled from the hotline through the real Asterisk: a caller books a callback
 * (nobody signed in), hangs up; later counsellor 1001 asks for it; their SIP phone rings first,
 * then the caller's phone on the carrier side (a SIPp UAS at 127.0.0.2) is dialled with the
 * caller's number; answered, the two talk in one bridge until the caller hangs up. A caller who
 * is busy is reported to the counsellor, and the callback goes back to the list.
 */

const ari = new AriInspector();
// A one-word privacy notice, and the callback offered a second after joining an unstaffed queue.
const config = hotlineConfigWith((c) => {
  c.ivr!.privacyNotice = 'digit_0';
  c.queue!.callbackOfferUnstaffedAfterMs = 1000;
});

type Callback = PendingCallbackView;
interface CallRecord { callId: string; dialled: string; counsellorId: string | null; connectedAt: string | null; endedAt: string | null; outcome: string | null }

let service: RunningService | undefined;
const peers: Array<{ stop(): Promise<unknown> }> = [];
const track = <T extends { stop(): Promise<unknown> }>(p: T): T => (peers.push(p), p);

async function availableWithPhone(s: RunningService, token: string): Promise<void> {
  track(await sipPhone({ sipUser: '1001', talkMs: 60_000 }));
  await waitFor('c1001 available', async () => {
    const { body } = await s.api<{ counsellor: { status: string } }>('/api/counsellors/me', token);
    return body.counsellor?.status === 'available' ? true : undefined;
  }, 10_000);
}

async function callerPhone(mode: PeerMode): Promise<Peer> {
  return track(await callerPhoneUas({ mode, talkMs: 4000, ringMs: 500 }));
}

describe('dialling a callback back from the hotline', () => {
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && service) console.error(`service log (tail):\n${service.logs().split('\n').slice(-40).join('\n')}`);
    await Promise.allSettled(peers.splice(0).map((p) => p.stop()));
    await service?.stop();
    service = undefined;
    await ari.clear();
  });

  it('rings the counsellor, then the caller\'s number; they talk in one bridge, and nothing is left when the caller hangs up', async () => {
    const s = (service = await startService({ env: { HOTLINE_CONFIG: config } }));
    const token = await s.login('c1001', webPassword('c1001'));
    const number = '13500000301';
    const booked = await bookCallback(s, token, number, ari);
    expect(booked.callerNumber).toBe('135******01');
    const phone = await callerPhone('answer');
    await availableWithPhone(s, token);

    const res = await s.api<{ dialBack: { id: string; callId: string } }>(`/api/callbacks/${encodeURIComponent(booked.jobId)}/dial`, token, { method: 'POST', body: '{}' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const callId = res.body.dialBack.callId;

    // The caller's phone is rung with their number, from 12355.
    const invite = await waitFor('the INVITE at the caller\'s phone', async () => phone.invites()[0], 20_000);
    expect(invite.firstLine).toMatch(new RegExp(`^INVITE sip:${number}@127\\.0\\.0\\.2`));
    expect(invite.headers.from).toContain('12355');
    // Connected: one bridge with the caller's leg and the counsellor's.
    const bridge = await waitFor('caller and counsellor bridged', async () => {
      const b = (await ari.bridges()).find((x) => x.channels.includes(callId));
      return b && b.channels.length === 2 ? b : undefined;
    }, 10_000);
    expect(bridge.channels).toContain(`dialback-agent-${res.body.dialBack.id}`);
    const supervisor = await s.login('s2001', webPassword('s2001'));
    expect((await s.api<{ callbacks: Callback[] }>('/api/callbacks', supervisor)).body.callbacks).toEqual([]);

    // The caller hangs up after 4 s: the counsellor's leg goes too, the record says who talked.
    await waitFor('the caller phone hung up', async () => (saw({ messages: phone.messages() }, 'received', 200, 'BYE') ? true : undefined), 20_000);
    await ari.waitForNoLeftovers(10_000);
    const record = await waitFor('the call record closed', async () => {
      const { body } = await s.api<{ call: CallRecord }>(`/api/calls/${encodeURIComponent(callId)}`, supervisor);
      return body.call?.endedAt ? body.call : undefined;
    }, 10_000);
    expect(record).toMatchObject({ dialled: 'callback', counsellorId: 'c1001', outcome: 'completed' });
    expect(record.connectedAt).not.toBeNull();
    const audit = (await s.api<{ entries: Array<{ action: string; actor: string; target?: string; callId?: string }> }>('/api/audit', supervisor)).body.entries;
    expect(audit.filter((e) => e.action === 'callback-dial')).toEqual([expect.objectContaining({ actor: 'c1001', target: booked.jobId, callId: booked.callId })]);
    const me = await s.api<{ counsellor: { status: string } }>('/api/counsellors/me', token);
    // config/hotline.yaml gives 30 s of wrap-up after a call: a dial-back is a call like any other.
    expect(me.body.counsellor.status).toBe('wrap-up');
  }, 120_000);

  it('tells the counsellor when the caller is busy, hangs up, and puts the callback back on the list', async () => {
    const s = (service = await startService({ env: { HOTLINE_CONFIG: config } }));
    const token = await s.login('c1001', webPassword('c1001'));
    const booked = await bookCallback(s, token, '13500000302', ari);
    const phone = await callerPhone('busy');
    await availableWithPhone(s, token);

    const res = await s.api(`/api/callbacks/${encodeURIComponent(booked.jobId)}/dial`, token, { method: 'POST', body: '{}' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await waitFor('the INVITE at the caller\'s phone', async () => phone.invites()[0], 20_000);
    await waitFor('the notice played, then every leg gone', async () => ((await ari.leftovers()).channels.length === 0 && s.logs().includes('telling the counsellor') ? true : undefined), 30_000);
    await ari.waitForNoLeftovers(5000);
    const again = await waitFor('the callback back on the list', async () => {
      const { body } = await s.api<{ callbacks: Callback[] }>('/api/callbacks', token);
      return body.callbacks.find((c) => c.jobId === booked.jobId);
    }, 10_000);
    expect(again.callId).toBe(booked.callId);
    // A second counsellor request while the first is not available any more is refused plainly.
    const ghost = await s.api<{ error: { code: string } }>('/api/callbacks/callback-nobody/dial', token, { method: 'POST', body: '{}' });
    expect([404, 409]).toContain(ghost.status);
  }, 120_000);
});
