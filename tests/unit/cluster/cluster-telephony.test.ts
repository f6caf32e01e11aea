import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ClusterTelephony, combinedStart, type NodeTelephony } from '../../../src/adapters/ari/cluster-telephony.ts';
import { PbxUnavailableError } from '../../../src/errors.ts';
import type { AppState, BridgeSnapshot, TelephonyEvent, TelephonyListener } from '../../../src/ports/telephony.ts';
import { startOfNode } from '../../../src/services/calls/pbx-nodes.ts';
import { PbxLifecycle } from '../../../src/services/calls/pbx-lifecycle.ts';
import type { LiveCall } from '../../../src/ports/live-calls.ts';

/** A node that records what it was asked, by method and first argument. */
function fakeNode(id: string, state: Partial<AppState> = {}, bridges: BridgeSnapshot[] = []) {
  const calls: string[] = [];
  const listeners = new Set<TelephonyListener>();
  let down = false;
  const rec = (name: string) => async (...args: unknown[]) => {
    if (down) throw new PbxUnavailableError(`${id} down`);
    calls.push(`${name} ${typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0])}`);
  };
  const node = new Proxy({} as Record<string, unknown>, {
    get(_t, prop: string) {
      switch (prop) {
        case 'onEvent': return (l: TelephonyListener) => (listeners.add(l), () => listeners.delete(l));
        case 'start': return () => undefined;
        case 'connected': return !down;
        case 'appState': return async () => {
          if (down) throw new PbxUnavailableError(`${id} down`);
          return { channelIds: [], bridgeIds: [], pbxStartedAt: `${id}-t0`, ...state };
        };
        case 'listBridges': return async () => bridges;
        case 'getChannel': return async (c: string) => (c.startsWith(`${id}:`) ? { id: c } : null);
        case 'getVariable': return async () => null;
        case 'then': return undefined;
        default: return rec(prop);
      }
    },
  }) as unknown as NodeTelephony;
  const emit = (e: TelephonyEvent) => listeners.forEach((l) => l(e));
  return { id, node, calls, emit, kill: () => ((down = true), emit({ type: 'connection', state: 'down' })) };
}

function cluster(...nodes: ReturnType<typeof fakeNode>[]) {
  const t = new ClusterTelephony(nodes.map((n) => ({ id: n.id, telephony: n.node })), null, pino({ level: 'silent' }));
  const events: TelephonyEvent[] = [];
  t.onEvent((e) => events.push(e));
  for (const n of nodes) n.emit({ type: 'connection', state: 'up' });
  return { t, events };
}

const entered = (channelId: string): TelephonyEvent => ({ type: 'channel-entered', channelId, channelName: 'PJSIP/edge-1', args: ['main'], caller: { number: '1', name: '' }, dialled: '12355', state: 'Ring' });

describe('ClusterTelephony', () => {
  it("sends a caller's commands to the node its channel id names", async () => {
    const [a, b] = [fakeNode('ast1'), fakeNode('ast2')];
    const { t } = cluster(a, b);
    await t.answer('ast2-1700000000.7');
    await t.startMoh('ast1-1700000000.1', 'default');
    expect(b.calls).toEqual(['answer ast2-1700000000.7']);
    expect(a.calls).toEqual(['startMoh ast1-1700000000.1']);
  });

  it("originates a call's legs on the caller's node, and later commands on a leg follow it", async () => {
    const [a, b] = [fakeNode('ast1'), fakeNode('ast2')];
    const { t } = cluster(a, b);
    const req = { channelId: 'offer-x-c1', phone: '1001', appArgs: ['counsellor', 'ast2-17.3', 'c1', 'x'], callerId: { name: 'n', number: '12355' }, timeoutSec: 15 };
    await t.ringPhone(req);
    await t.hangup('offer-x-c1');
    expect(b.calls).toEqual(['ringPhone ' + JSON.stringify(req), 'hangup offer-x-c1']);
    expect(a.calls).toEqual([]);
  });

  it('makes a shared bridge on each node when its first channel there joins, with its music', async () => {
    const [a, b] = [fakeNode('ast1'), fakeNode('ast2')];
    const { t } = cluster(a, b);
    await t.createBridge('hold', 'holding', 'hold');
    await t.startBridgeMoh('hold', 'default');
    await t.addToBridge('hold', ['ast1-1.1']);
    await t.addToBridge('hold', ['ast2-1.2']);
    await t.addToBridge('hold', ['ast2-1.3']);
    expect(a.calls).toEqual(['createBridge hold', 'startBridgeMoh hold', 'addToBridge hold']);
    expect(b.calls).toEqual(['createBridge hold', 'startBridgeMoh hold', 'addToBridge hold', 'addToBridge hold']);
    await t.destroyBridge('hold');
    expect(a.calls.at(-1)).toBe('destroyBridge hold');
    expect(b.calls.at(-1)).toBe('destroyBridge hold');
  });

  it('merges the bridges of every node (same id: channels together)', async () => {
    const a = fakeNode('ast1', {}, [{ id: 'hold', type: 'holding', channels: ['ast1-1.1'], name: 'hold' }]);
    const b = fakeNode('ast2', {}, [{ id: 'hold', type: 'holding', channels: ['ast2-1.1'], name: 'hold' }]);
    const { t } = cluster(a, b);
    expect(await t.listBridges()).toEqual([{ id: 'hold', type: 'holding', channels: ['ast1-1.1', 'ast2-1.1'], name: 'hold' }]);
  });

  it("reports a lost node as a drop and a reconnect while others are up, and its start as 'down'", async () => {
    const a = fakeNode('ast1', { channelIds: ['ast1-1.1'] });
    const b = fakeNode('ast2', { channelIds: ['ast2-1.1'] });
    const { t, events } = cluster(a, b);
    events.length = 0;
    b.kill();
    expect(events).toEqual([{ type: 'connection', state: 'down' }, { type: 'connection', state: 'up' }]);
    const s = await t.appState();
    expect(s.channelIds).toEqual(['ast1-1.1']);
    expect(s.pbxStartedAt).toBe('ast1=ast1-t0;ast2=down');
    expect(t.nodesUp()).toEqual(['ast1']);
    // No node up: a leg cannot be placed anywhere, said as the PBX being unavailable.
    a.kill();
    await expect(t.dialOut({ channelId: 'dialback-1-c', route: 'PJSIP/1@carrier-out', appArgs: ['dialback', 'd1', 'caller'], callerId: { name: '', number: '' }, timeoutSec: 5 }))
      .rejects.toBeInstanceOf(PbxUnavailableError);
  });

  it('looks for a channel of unknown node on every node, and remembers where it was', async () => {
    const [a, b] = [fakeNode('ast1'), fakeNode('ast2')];
    const { t } = cluster(a, b);
    expect((await t.getChannel('ast2:legacy'))?.id).toBe('ast2:legacy');
    await t.ring('ast2:legacy');
    expect(b.calls).toEqual(['ring ast2:legacy']);
    expect(await t.getChannel('ast9:nowhere')).toBeNull();
  });

  it("places a dial-back's two legs on one node", async () => {
    const [a, b] = [fakeNode('ast1'), fakeNode('ast2')];
    const { t } = cluster(a, b);
    const leg = (n: string) => ({ channelId: `dialback-d1-${n}`, phone: '1001', route: 'PJSIP/1@carrier-out', appArgs: ['dialback', 'd1', n], callerId: { name: '', number: '' }, timeoutSec: 5 });
    await t.ringPhone(leg('counsellor'));
    await t.dialOut(leg('caller'));
    expect(a.calls.length + b.calls.length).toBe(2);
    expect(a.calls.length === 2 || b.calls.length === 2).toBe(true);
  });

  it('passes events through and learns where entered channels are', async () => {
    const [a, b] = [fakeNode('ast1'), fakeNode('ast2')];
    const { t, events } = cluster(a, b);
    b.emit(entered('snoopless-1'));
    expect(events.at(-1)).toMatchObject({ type: 'channel-entered', channelId: 'snoopless-1' });
    await t.hangup('snoopless-1');
    expect(b.calls).toEqual(['hangup snoopless-1']);
    expect(a.calls).toEqual([]);
  });
});

describe('PBX start per node', () => {
  const call = (callId: string, pbxStartedAt: string) => ({ callId, pbxStartedAt }) as LiveCall;

  it("reads a call's own node from the combined start, and a single PBX's start as it is", () => {
    const s = combinedStart([['ast1', 'T1'], ['ast2', null]]);
    expect(startOfNode(s, 'ast1-17.1')).toBe('T1');
    expect(startOfNode(s, 'ast2-17.1')).toBe('down');
    expect(startOfNode('2026-12-06T07:00:00.000+0000', '17.1')).toBe('2026-12-06T07:00:00.000+0000');
  });

  it('takes only the lost node\'s callers for cut off', () => {
    let now = 1000;
    const pbx = new PbxLifecycle(() => now);
    pbx.observeStart('ast1=T1;ast2=T2');
    pbx.connectionUp();
    const onA = call('ast1-1.1', 'ast1=T1;ast2=T2');
    const onB = call('ast2-1.1', 'ast1=T1;ast2=T2');
    pbx.rememberLeft(onA);
    pbx.rememberLeft(onB);
    now += 1000;
    pbx.connectionDown();
    expect(pbx.observeStart('ast1=T1;ast2=down')).toEqual([onB]);
    expect(pbx.restartedUnder(onA)).toBe(false);
    expect(pbx.restartedUnder(onB)).toBe(true);
  });
});
