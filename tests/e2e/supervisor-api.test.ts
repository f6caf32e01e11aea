import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AriInspector, type AriBridge, type AriChannel } from './support/ari-inspector.ts';
import { bridgeWith, hotlineConfigWith, sipPhone, startCaller, webPassword } from './support/peers.ts';
import { startService, type RunningService } from './support/service.ts';
import type { SippRun } from './support/sipp.ts';
import { waitFor } from './support/wait.ts';

/**
 * The supervisor API over real HTTP against the live stack: listen, whisper and barge ring the
 * supervisor's own SIP phone (2001) and join it to the call through a snoop or the call bridge;
 * every action is audited; counsellors cannot use it; malformed requests get a clean 4xx.
 */

const ari = new AriInspector();
// A one-word privacy notice, so that a queued caller reaches the counsellor at once.
const config = hotlineConfigWith((c) => void (c.ivr!.privacyNotice = 'digit_0'));

interface Session { id: string; callId: string; mode: string; supervisorId: string; supervisorChannelId: string; snoopChannelId: string | null;
  bridgeId: string | null; snoop: { spy: string; whisper: string } | null; state: string }
interface ApiError { error: { code: string; message: string } }

let service: RunningService | undefined;
const peers: Array<{ stop(): Promise<unknown> }> = [];
const track = <T extends { stop(): Promise<unknown> }>(p: T): T => (peers.push(p), p);

async function stopAll(): Promise<void> {
  await Promise.allSettled(peers.splice(0).map((p) => p.stop()));
  await service?.stop();
  service = undefined;
  await ari.clear();
}

describe('listen, whisper and barge to the supervisor phone', () => {
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && service) console.error(`service log (tail):\n${service.logs().split('\n').slice(-40).join('\n')}`);
    await stopAll();
  });

  /** A caller (psychological) with counsellor 1001's SIP phone, and supervisor 2001's phone registered. */
  async function connectedCall(callerNumber: string): Promise<{ s: RunningService; token: string; caller: SippRun; callerChannel: AriChannel; bridge: AriBridge; counsellorChannel: string }> {
    const s = (service = await startService({ env: { HOTLINE_CONFIG: config } }));
    // The counsellor's phone talks (a tone) and the caller echoes: audio flows both ways, as on a real call.
    track(await sipPhone({ sipUser: '1001', talkMs: 60_000, tone: true }));
    track(await sipPhone({ sipUser: '2001', talkMs: 60_000 }));
    const caller = track(await startCaller({
      callerNumber, keys: [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }], holdMs: 14_000, hangup: 'caller', rtpEcho: true,
    }));
    const callerChannel = await waitFor('the caller in Stasis', () => ari.channelOf(callerNumber), 10_000);
    const bridge = await waitFor('caller and counsellor in one bridge', async () => {
      const b = await bridgeWith(ari, callerChannel.id);
      return b && b.channels.length === 2 ? b : undefined;
    }, 20_000);
    const token = await s.login('s2001', webPassword('s2001'));
    return { s, token, caller, callerChannel, bridge, counsellorChannel: bridge.channels.find((id) => id !== callerChannel.id)! };
  }

  const channelsById = async () => new Map((await ari.channels()).map((c) => [c.id, c]));

  it.each([
    ['listen', { spy: 'both', whisper: 'none' }],
    ['whisper', { spy: 'both', whisper: 'out' }],
    ['barge', null],
  ] as const)('%s: the supervisor phone joins the call as planned, shown in /api/monitor and audited', async (mode, snoop) => {
    const callerNumber = `1370000010${['listen', 'whisper', 'barge'].indexOf(mode)}`;
    const { s, token, caller, callerChannel, bridge, counsellorChannel } = await connectedCall(callerNumber);

    const res = await s.api<{ session: Session }>(`/api/calls/${encodeURIComponent(callerChannel.id)}/monitor`, token, { method: 'POST', body: JSON.stringify({ mode }) });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const session = res.body.session;
    expect(session).toMatchObject({ callId: callerChannel.id, mode, supervisorId: 's2001', snoop });

    const listed = await waitFor('the session active in /api/monitor', async () => {
      const { body } = await s.api<{ sessions: Session[] }>('/api/monitor', token);
      const found = body.sessions.find((x) => x.id === session.id);
      return found?.state === 'active' ? found : undefined;
    }, 10_000);
    expect(listed.snoop).toEqual(snoop);

    const channels = await channelsById();
    const sup = channels.get(session.supervisorChannelId);
    expect(sup?.name, 'the supervisor leg rings 2001').toMatch(/^PJSIP\/2001-/);
    expect(sup?.state).toBe('Up');
    if (snoop) {
      const snoopChannel = channels.get(session.snoopChannelId ?? '');
      expect(snoopChannel?.name, 'a snoop on the call').toMatch(/^Snoop\//);
      expect(snoopChannel?.name, 'the snoop is on the counsellor\'s leg').toContain(counsellorChannel);
      const monitorBridge = await waitFor('snoop and supervisor bridged', async () => {
        const b = await bridgeWith(ari, session.supervisorChannelId);
        return b && b.channels.length === 2 ? b : undefined;
      });
      expect(monitorBridge.bridge_type).toBe('mixing');
      expect(monitorBridge.channels.sort()).toEqual([session.supervisorChannelId, snoopChannel!.id].sort());
      const callBridge = (await ari.bridges()).find((b) => b.id === bridge.id);
      expect(callBridge?.channels.sort(), 'the call itself is untouched').toEqual([callerChannel.id, counsellorChannel].sort());
    } else {
      const callBridge = await waitFor('the supervisor in the call bridge', async () => {
        const b = (await ari.bridges()).find((x) => x.id === bridge.id);
        return b && b.channels.length === 3 ? b : undefined;
      });
      expect(callBridge.bridge_type).toBe('mixing');
      expect(callBridge.channels.sort()).toEqual([callerChannel.id, counsellorChannel, session.supervisorChannelId].sort());
      expect([...channels.values()].some((c) => c.name.startsWith('Snoop/')), 'no snoop for barge').toBe(false);
    }

    const audit = (await s.api<{ entries: Array<{ actor: string; role: string; action: string; callId: string; data: Record<string, unknown> }> }>('/api/audit', token)).body.entries;
    expect(audit).toEqual(expect.arrayContaining([
      expect.objectContaining({ actor: 's2001', role: 'supervisor', action: `monitor-${mode}`, callId: callerChannel.id, data: expect.objectContaining({ sessionId: session.id }) }),
    ]));

    // Stopping takes the supervisor (and the snoop) off; the call carries on as before.
    const stop = await s.api(`/api/monitor/${session.id}`, token, { method: 'DELETE' });
    expect(stop.status).toBe(200);
    await waitFor('supervisor and snoop legs gone', async () => {
      const ids = new Set((await ari.channels()).map((c) => c.id));
      return ids.has(session.supervisorChannelId) || (session.snoopChannelId && ids.has(session.snoopChannelId)) ? undefined : true;
    }).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(await ari.leftovers())}`);
    });
    expect((await ari.bridges()).find((b) => b.id === bridge.id)?.channels.sort()).toEqual([callerChannel.id, counsellorChannel].sort());
    expect((await s.api<{ sessions: Session[] }>('/api/monitor', token)).body.sessions).toEqual([]);
    const entries = (await s.api<{ entries: Array<{ action: string; data: Record<string, unknown> }> }>('/api/audit', token)).body.entries;
    expect(entries.some((e) => e.action === 'monitor-stop' && e.data.sessionId === session.id)).toBe(true);

    const r = await caller.done;
    expect(r.exitCode, r.log).toBe(0);
    await ari.waitForNoLeftovers(8000);
  });
});

describe('supervisor API: who may use it, and malformed requests', () => {
  let counsellor = '';
  let supervisor = '';
  beforeAll(async () => {
    service = await startService();
    counsellor = await service.login('c1001', webPassword('c1001'));
    supervisor = await service.login('s2001', webPassword('s2001'));
  });
  afterAll(stopAll);

  const expectError = (res: { status: number; body: unknown }, status: number, code?: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    const body = res.body as ApiError;
    expect(body.error, JSON.stringify(res.body)).toEqual({ code: expect.any(String), message: expect.any(String) });
    if (code) expect(body.error.code).toBe(code);
  };

  it.each(['/api/queue', '/api/counsellors', '/api/audit', '/api/monitor', '/api/alerts', '/api/queue/events'])('GET %s: 403 for a counsellor, 401 without a session', async (path) => {
    expectError(await service!.api(path, counsellor), 403, 'forbidden');
    expectError(await service!.api(path), 401, 'unauthenticated');
    expect((await service!.api(path, supervisor)).status).toBe(200);
  });

  it('a counsellor cannot start monitoring, and a bad or missing token is not a session', async () => {
    const post = (token?: string) => service!.api('/api/calls/no-such-call/monitor', token, { method: 'POST', body: JSON.stringify({ mode: 'listen' }) });
    expectError(await post(counsellor), 403, 'forbidden');
    expectError(await post(), 401, 'unauthenticated');
    expectError(await post('not-a-token'), 401, 'unauthenticated');
    expectError(await service!.api('/api/queue', undefined, { headers: { cookie: 'hotline_session=forged' } }), 401, 'unauthenticated');
  });

  it('malformed requests get a 4xx with { error: { code, message } }', async () => {
    const monitor = (body: string) => service!.api('/api/calls/no-such-call/monitor', supervisor, { method: 'POST', body });
    expectError(await monitor('{"mode": "listen"'), 400, 'invalid-request'); // bad JSON
    expectError(await monitor('{"mode": "spy"}'), 400, 'invalid-request');
    expectError(await monitor('{}'), 400, 'invalid-request');
    expectError(await monitor('["listen"]'), 400, 'invalid-request');
    expectError(await monitor('{"mode": "listen"}'), 409, 'call-not-connected'); // well-formed, but no such call
    expectError(await service!.api('/api/no-such-route', supervisor), 404, 'no-such-route');
    expectError(await service!.api('/api/no-such-route'), 404, 'no-such-route');
    expectError(await service!.api('/api/monitor', supervisor, { method: 'PUT', body: '{}' }), 404, 'no-such-route');
    expectError(await service!.api('/api/audit?limit=lots', supervisor), 400, 'invalid-request');
    expectError(await service!.api('/api/monitor/no-such-session', supervisor, { method: 'DELETE' }), 404, 'no-such-monitor-session');
    const big = await service!.api('/api/calls/x/monitor', supervisor, { method: 'POST', body: JSON.stringify({ mode: 'listen', pad: 'x'.repeat(40_000) }) });
    expectError(big, 413);
  });
});
