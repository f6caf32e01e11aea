import { describe, expect, it, vi } from 'vitest';
import type { TestHotline } from '../../fakes/hotline-harness.ts';
import { hotlinePerTest } from './hotline-per-test.ts';

let h: TestHotline;
hotlinePerTest((started) => void (h = started));

describe('a caller entering the hotline', () => {
  it('is answered, gets a call record and hears the language menu', async () => {
    h.telephony.callerEnters('caller-1', { number: '13912345678' });
    await h.settle();

    expect(h.telephony.callsOf('answer')).toEqual([['caller-1']]);
    expect(h.telephony.channel('caller-1')?.state).toBe('Up');
    const record = await h.stores.records.get('caller-1');
    expect(record).toMatchObject({ line: 'main', dialled: '12355', callerNumber: '13912345678', outcome: null });
    expect(record?.answeredAt).toBe(h.clock.now().toISOString());
    const [play] = h.telephony.playbacksOn('caller-1');
    expect(play?.sounds).toEqual([{ prompt: 'welcome_language', language: 'cmn' }]);
    expect((await h.stores.liveCalls.get('caller-1'))?.phase).toBe('ivr');
  });

  // Regression: the dialplan answers, so a caller may hang up before the service has started on
  // their call; the StasisEnd then arrives before the call exists and must still end it.
  it('ends the call of a caller who left before the service started on it', async () => {
    h.telephony.callerEnters('caller-1', { state: 'Up' });
    h.telephony.remoteHangup('caller-1'); // StasisEnd and ChannelDestroyed, in the same turn
    await h.settle();

    expect(await h.stores.liveCalls.get('caller-1')).toBeNull();
    expect(await h.stores.records.get('caller-1')).toMatchObject({ outcome: 'ivr-hangup' });
    expect(h.calls.liveCalls()).toEqual([]);
  });

  it('does not answer a channel that is already up', async () => {
    h.telephony.callerEnters('caller-1', { state: 'Up' });
    await h.settle();
    expect(h.telephony.callsOf('answer')).toEqual([]);
    expect(h.telephony.playbacksOn('caller-1')).toHaveLength(1);
  });
});

describe('the IVR driven by DTMF', () => {
  it('barges in, follows the menus and routes the caller to the queue', async () => {
    h.telephony.callerEnters('caller-1');
    await h.settle();
    const welcome = h.telephony.playbacksOn('caller-1')[0]?.id;

    h.telephony.dtmf('caller-1', '2'); // Cantonese, pressed while the welcome plays
    await h.settle();
    expect(h.telephony.callsOf('stopPlayback')).toEqual([[welcome]]);
    expect(h.telephony.playbacksOn('caller-1').map((p) => p.sounds)).toEqual([[{ prompt: 'main_menu', language: 'yue' }]]);

    h.telephony.dtmf('caller-1', '1'); // psychological
    await h.settle();
    const record = await h.stores.records.get('caller-1');
    expect(record).toMatchObject({ need: 'psychological', language: 'yue', highRisk: false, line: 'main' });
    expect(record?.path.map((s) => [s.menu, s.input, s.outcome])).toEqual([['language', '2', 'option'], ['main', '1', 'option']]);
    expect(await h.stores.store.getCaller('caller-1')).toMatchObject({ skills: ['psychological'], language: 'yue', state: 'waiting' });
    expect(h.telephony.bridgeMembers('hotline-holding')).toEqual(['caller-1']);
    // Queued: the privacy notice comes first, in the caller's language.
    expect(h.telephony.playbacksOn('caller-1').map((p) => p.sounds[0])).toEqual([{ prompt: 'privacy_notice', language: 'yue' }]);
  });

  it('replays the menu after silence and routes to a person after the last attempt', async () => {
    h.telephony.callerEnters('caller-1');
    await h.settle();
    for (let attempt = 1; attempt <= 3; attempt++) {
      h.telephony.finishPlaybacksOn('caller-1');
      await h.settle();
      await h.advance(5000);
    }
    const plays = h.telephony.callsOf('play').map(([, media]) => media);
    expect(plays.slice(0, 3)).toEqual([
      [{ prompt: 'welcome_language', language: 'cmn' }],
      [{ prompt: 'no_input', language: 'cmn' }, { prompt: 'welcome_language', language: 'cmn' }],
      [{ prompt: 'no_input', language: 'cmn' }, { prompt: 'welcome_language', language: 'cmn' }],
    ]);
    expect(await h.stores.store.getCaller('caller-1')).toMatchObject({ need: 'general', skills: [] });
    expect(h.telephony.callsOf('hangup')).toEqual([]);
  });

  it('sends the emergency key 9 to the front of the queue at emergency priority', async () => {
    await h.callerInQueue('caller-1');
    h.telephony.callerEnters('caller-2');
    await h.settle();
    h.telephony.dtmf('caller-2', '9');
    await h.settle();
    const order = await h.stores.store.listCallers();
    expect(order.map((c) => [c.callId, c.need, c.priority, c.highRisk])).toEqual([
      ['caller-2', 'emergency', 100, true],
      ['caller-1', 'general', 0, false],
    ]);
  });
});

describe('hanging up in the menus', () => {
  it('stops the timer and the playback and records ivr-hangup', async () => {
    h.telephony.callerEnters('caller-1');
    await h.settle();
    h.telephony.dtmf('caller-1', '1');
    await h.settle();
    const menu = h.telephony.playbacksOn('caller-1')[0]?.id;
    h.telephony.remoteHangup('caller-1');
    await h.settle();

    expect(h.telephony.callsOf('stopPlayback').at(-1)).toEqual([menu]);
    expect(vi.getTimerCount()).toBe(0);
    const record = await h.stores.records.get('caller-1');
    expect(record).toMatchObject({ outcome: 'ivr-hangup', endedAt: h.clock.now().toISOString() });
    expect(await h.stores.liveCalls.get('caller-1')).toBeNull();
    expect(h.calls.getCall('caller-1')).toBeUndefined();

    const played = h.telephony.callsOf('play').length;
    await h.advance(20_000);
    expect(h.telephony.callsOf('play')).toHaveLength(played);
  });

  it('cancels the input timer of a caller who hangs up while it runs', async () => {
    h.telephony.callerEnters('caller-1');
    await h.settle();
    h.telephony.finishPlaybacksOn('caller-1');
    await h.settle();
    expect(vi.getTimerCount()).toBe(1);
    h.telephony.remoteHangup('caller-1');
    await h.settle();
    expect(vi.getTimerCount()).toBe(0);
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('ivr-hangup');
  });
});
