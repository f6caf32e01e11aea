import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveCall, LiveCalls } from '../../src/ports/live-calls.ts';

export function liveCall(callId: string, patch: Partial<LiveCall> = {}): LiveCall {
  return {
    callId, channelId: callId, line: 'main', dialled: '12355', callerNumber: '13800138000', startedAt: '2026-03-10T02:00:00.000Z',
    phase: 'queued',
    ivr: {
      line: 'main', menu: null, language: 'yue', attempts: 1, digits: '', highRisk: false, done: true, playing: false,
      path: [{ menu: 'language', input: '2', outcome: 'option', at: '2026-03-10T02:00:03.000Z' }],
    },
    routing: { line: 'main', need: 'legal', skills: ['legal'], language: 'yue', priority: 0, highRisk: false, announce: ['privacy_notice'] },
    counsellorId: null, counsellorChannelId: null, bridgeId: null, offerId: null, extraChannels: [], ...patch,
  };
}

/** The LiveCalls contract: what a restarted service reads back is what the last save wrote. */
export function liveCallsContract(make: () => Promise<LiveCalls>): void {
  let s: LiveCalls;
  beforeEach(async () => {
    s = await make();
  });

  describe('calls', () => {
    it('round-trips a call exactly', async () => {
      const call = liveCall('c-1', { phase: 'escalating', counsellorId: 'c1', counsellorChannelId: 'offer-0badcafe-c1', bridgeId: 'call-c-1', offerId: '0badcafe', extraChannels: ['police-1-0'], outcome: 'escalated' });
      await s.save(call);
      expect(await s.get('c-1')).toEqual(call);
      expect(await s.get('unknown')).toBeNull();
    });

    it('keeps the last save, lists every call and forgets removed ones', async () => {
      await s.save(liveCall('c-1', { phase: 'ivr', ivr: null, routing: null }));
      await s.save(liveCall('c-2'));
      await s.save(liveCall('c-1', { phase: 'offered', offerId: '12345678' }));
      expect((await s.list()).map((c) => [c.callId, c.phase]).sort()).toEqual([['c-1', 'offered'], ['c-2', 'queued']]);
      await s.remove('c-1');
      await s.remove('never-saved');
      expect(await s.get('c-1')).toBeNull();
      expect((await s.list()).map((c) => c.callId)).toEqual(['c-2']);
    });

    it('hands out copies: changing what was saved or read does not change the store', async () => {
      const call = liveCall('c-1');
      await s.save(call);
      call.phase = 'connected';
      const read = await s.get('c-1');
      if (read) read.extraChannels.push('x');
      expect(await s.get('c-1')).toEqual(liveCall('c-1'));
    });

    it('lists nothing when empty', async () => {
      expect(await s.list()).toEqual([]);
    });
  });

  describe('channel links', () => {
    it('links, relinks and unlinks a channel', async () => {
      await s.link({ channelId: 'offer-0badcafe-c1', callId: 'c-1', role: 'counsellor' });
      expect(await s.linkOf('offer-0badcafe-c1')).toEqual({ channelId: 'offer-0badcafe-c1', callId: 'c-1', role: 'counsellor' });
      await s.link({ channelId: 'offer-0badcafe-c1', callId: 'c-2', role: 'colleague' });
      expect(await s.linkOf('offer-0badcafe-c1')).toEqual({ channelId: 'offer-0badcafe-c1', callId: 'c-2', role: 'colleague' });
      await s.unlink('offer-0badcafe-c1');
      await s.unlink('never-linked');
      expect(await s.linkOf('offer-0badcafe-c1')).toBeNull();
    });

    it('keeps links apart from calls', async () => {
      await s.link({ channelId: 'police-1-0', callId: 'c-1', role: 'emergency' });
      await s.save(liveCall('c-1'));
      await s.remove('c-1');
      expect(await s.linkOf('police-1-0')).toMatchObject({ role: 'emergency' });
      expect(await s.list()).toEqual([]);
    });
  });
}
