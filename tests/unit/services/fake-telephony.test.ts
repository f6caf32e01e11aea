import { describe, expect, it } from 'vitest';
import { PbxNotFoundError, PbxOperationError } from '../../../src/errors.ts';
import type { TelephonyEvent } from '../../../src/ports/telephony.ts';
import { FakeTelephony } from '../../fakes/fake-telephony.ts';
import { settle } from '../../fakes/hotline-harness.ts';

const HOTLINE = { name: '12355', number: '12355' };

// The service tests trust FakeTelephony to fail and report like the ARI adapter; this pins that down.

function withCaller(): { t: FakeTelephony; seen: TelephonyEvent[] } {
  const t = new FakeTelephony();
  const seen: TelephonyEvent[] = [];
  t.onEvent((e) => seen.push(e));
  t.callerEnters('ch-1');
  return { t, seen };
}

describe('FakeTelephony', () => {
  it('throws PbxNotFoundError where ARI answers 404', async () => {
    const t = new FakeTelephony();
    await expect(t.answer('nope')).rejects.toBeInstanceOf(PbxNotFoundError);
    await expect(t.continueInDialplan('nope')).rejects.toBeInstanceOf(PbxNotFoundError);
    await expect(t.play({ channelId: 'nope' }, [{ prompt: 'x', language: 'cmn' }], 'pb-1')).rejects.toBeInstanceOf(PbxNotFoundError);
    await expect(t.play({ bridgeId: 'nope' }, [{ prompt: 'x', language: 'cmn' }], 'pb-1')).rejects.toBeInstanceOf(PbxNotFoundError);
    await expect(t.addToBridge('nope', [])).rejects.toBeInstanceOf(PbxNotFoundError);
    await expect(t.startBridgeMoh('nope', 'hotline')).rejects.toBeInstanceOf(PbxNotFoundError);
    await expect(t.snoop('nope', { snoopId: 's', spy: 'both', whisper: 'none', appArgs: [] })).rejects.toBeInstanceOf(PbxNotFoundError);
    await expect(t.setVariable('nope', 'A', 'b')).rejects.toBeInstanceOf(PbxNotFoundError);
    expect(t.commands).toHaveLength(8); // failed commands are recorded too
  });

  it('treats removing what is already gone as done, like the adapter', async () => {
    const t = new FakeTelephony();
    await t.hangup('nope');
    await t.stopPlayback('nope');
    await t.stopMoh('nope');
    await t.destroyBridge('nope');
    await t.removeFromBridge('nope', ['nope']);
    expect(await t.getChannel('nope')).toBeNull();
    expect(await t.getVariable('nope', 'X')).toBeNull();
  });

  it('answers 400/422 like ARI for a bad bridge member', async () => {
    const { t } = withCaller();
    await t.createBridge('b', 'mixing', 'b');
    await expect(t.addToBridge('b', ['ghost'])).rejects.toMatchObject({ code: 'pbx-operation-failed', details: { status: 400 } });
    await t.ringPhone({ channelId: 'leg', phone: '1001', appArgs: ['counsellor'], callerId: HOTLINE, timeoutSec: 5 });
    await expect(t.addToBridge('b', ['leg'])).rejects.toMatchObject({ details: { status: 422 } }); // not in Stasis yet
    await expect(t.removeFromBridge('b', ['ch-1'])).rejects.toBeInstanceOf(PbxOperationError);
    await expect(t.dialOut({ channelId: 'leg', route: 'PJSIP/110@emergency', appArgs: [], callerId: HOTLINE, timeoutSec: 5 })).rejects.toMatchObject({ details: { status: 409 } });
  });

  it('sends the events that follow our own commands, after the command', async () => {
    const { t, seen } = withCaller();
    await t.createBridge('b', 'holding', 'b');
    await t.addToBridge('b', ['ch-1']);
    await t.play({ channelId: 'ch-1' }, [{ prompt: 'x', language: 'cmn' }], 'pb-1');
    await t.stopPlayback('pb-1');
    await t.hangup('ch-1');
    expect(t.bridgeMembers('b')).toEqual([]);
    await settle(1);
    expect(seen.slice(1).map((e) => e.type)).toEqual(['playback-finished', 'channel-left', 'channel-destroyed']);
  });

  it('hands a channel to the dialplan: it leaves the app and its bridge but lives on', async () => {
    const { t, seen } = withCaller();
    await t.createBridge('b', 'holding', 'b');
    await t.addToBridge('b', ['ch-1']);
    await t.continueInDialplan('ch-1', { context: 'hotline-fallback', extension: 's', priority: 1 });
    await settle(1);
    expect(t.channel('ch-1')).toMatchObject({ inApp: false, bridgeId: null, dialplan: { context: 'hotline-fallback' } });
    expect((await t.appState()).channelIds).toEqual([]);
    expect(seen.at(-1)).toEqual({ type: 'channel-left', channelId: 'ch-1' });
    await expect(t.continueInDialplan('ch-1')).rejects.toMatchObject({ details: { status: 409 } });
  });

  it('injects failures for chosen commands and arguments, a set number of times', async () => {
    const { t } = withCaller();
    t.failOn('play', { when: (_target, sounds) => sounds.some((x) => 'prompt' in x && x.prompt === 'bad'), times: 2 });
    await t.play({ channelId: 'ch-1' }, [{ prompt: 'good', language: 'cmn' }], 'pb-1');
    await expect(t.play({ channelId: 'ch-1' }, [{ prompt: 'bad', language: 'cmn' }], 'pb-2')).rejects.toThrow('injected');
    await expect(t.play({ channelId: 'ch-1' }, [{ prompt: 'bad', language: 'cmn' }], 'pb-3')).rejects.toThrow('injected');
    await t.play({ channelId: 'ch-1' }, [{ prompt: 'bad', language: 'cmn' }], 'pb-4');
    expect(t.playbacksOn('ch-1').map((p) => p.id)).toEqual(['pb-1', 'pb-4']);
  });

  it('reports a dialled leg entering Stasis with its appArgs, and a restarted view of the same PBX', async () => {
    const { t, seen } = withCaller();
    await t.ringPhone({ channelId: 'leg', phone: '1001', appArgs: ['counsellor', 'ch-1', 'c1', '0badcafe'], callerId: HOTLINE, timeoutSec: 5 });
    t.answerLeg('leg');
    expect(seen.at(-1)).toMatchObject({ type: 'channel-entered', channelId: 'leg', args: ['counsellor', 'ch-1', 'c1', '0badcafe'] });
    const later = FakeTelephony.restartedFrom(t);
    expect((await later.appState()).channelIds.sort()).toEqual(['ch-1', 'leg']);
    expect(later.commands.map((c) => c.op)).toEqual(['appState']); // none of the old history
  });
});
