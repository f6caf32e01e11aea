import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAKE_TIMERS, startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';
import { serviceTestConfig, withSurvey } from '../../fakes/hotline-fixture.ts';

let h: TestHotline;
beforeEach(async () => {
  vi.useFakeTimers(FAKE_TIMERS);
  h = await startTestHotline({ config: serviceTestConfig(withSurvey) });
});
afterEach(async () => {
  await h.stop();
  vi.useRealTimers();
});

/** Caller-1 talks to counsellor c1 (Mandarin unless `language` is '2'), then c1 hangs up. */
async function counsellorHangsUp(language: '1' | '2' = '1', beforeHangup: () => void = () => undefined): Promise<void> {
  await h.online('1001');
  h.telephony.callerEnters('caller-1', { number: '13800138000' });
  await h.settle();
  h.telephony.dtmf('caller-1', language);
  await h.settle();
  h.telephony.dtmf('caller-1', '0');
  await h.settle();
  await h.hearAll('caller-1');
  const leg = h.offerFor('caller-1')?.channelId ?? '';
  h.telephony.answerLeg(leg);
  await h.settle();
  expect(h.calls.getCall('caller-1')?.phase).toBe('connected');
  beforeHangup();
  h.telephony.remoteHangup(leg);
  await h.settle();
}

const playing = () => h.telephony.playbacksOn('caller-1').map((p) => p.sounds);

describe('the satisfaction survey', () => {
  it('keeps the caller on alone, out of the bridge, and asks in Mandarin', async () => {
    await counsellorHangsUp();
    expect(h.telephony.channel('caller-1')).toBeDefined();
    expect(h.calls.getCall('caller-1')?.phase).toBe('survey');
    expect(h.telephony.pbx.bridges.has('call-caller-1')).toBe(false);
    expect(playing()).toEqual([[{ prompt: 'survey_question', language: 'cmn' }]]);
    // The counsellor is free for the next caller already.
    expect((await h.counsellors.get('c1'))?.status).toBe('wrap-up');
  });

  it('asks in Cantonese a caller who chose Cantonese', async () => {
    await counsellorHangsUp('2');
    expect(playing()).toEqual([[{ prompt: 'survey_question', language: 'yue' }]]);
  });

  it('1 stores 满意 on the call, thanks the caller, then hangs up; nothing is left', async () => {
    await counsellorHangsUp();
    h.telephony.dtmf('caller-1', '1');
    await h.settle();
    expect(h.stores.records.satisfactionOf('caller-1')).toBe(1);
    expect(playing()).toEqual([[{ prompt: 'survey_thanks', language: 'cmn' }]]);
    expect(h.telephony.channel('caller-1')).toBeDefined(); // not before the thank-you is heard
    await h.hearAll('caller-1');
    expect(h.telephony.channel('caller-1')).toBeUndefined();
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('completed');
    expect(h.calls.getCall('caller-1')).toBeUndefined();
    expect(h.telephony.pbx.playbacks.size).toBe(0);
    expect([...h.telephony.pbx.bridges.keys()].filter((b) => b !== 'hotline-holding')).toEqual([]);
    expect(h.stores.events.ofType('complete')).toHaveLength(1);
    expect(h.playbacks.currentOf('caller-1')).toBeUndefined();
  });

  it('silence after the question: a polite goodbye, then hang-up, no answer', async () => {
    await counsellorHangsUp();
    await h.hearAll('caller-1');
    expect(playing()).toEqual([]);
    await h.advance(4000);
    expect(h.telephony.channel('caller-1')).toBeDefined();
    await h.advance(1000);
    expect(playing()).toEqual([[{ prompt: 'survey_goodbye', language: 'cmn' }]]);
    await h.hearAll('caller-1');
    expect(h.telephony.channel('caller-1')).toBeUndefined();
    expect(h.stores.records.satisfactionOf('caller-1')).toBeNull();
  });

  it('a wrong key repeats the question once; a second wrong key says goodbye', async () => {
    await counsellorHangsUp();
    h.telephony.dtmf('caller-1', '7');
    await h.settle();
    expect(playing()).toEqual([[{ prompt: 'survey_question', language: 'cmn' }]]);
    h.telephony.dtmf('caller-1', '8');
    await h.settle();
    expect(playing()).toEqual([[{ prompt: 'survey_goodbye', language: 'cmn' }]]);
    await h.hearAll('caller-1');
    expect(h.telephony.channel('caller-1')).toBeUndefined();
    expect(h.stores.records.satisfactionOf('caller-1')).toBeNull();
  });

  it('the caller hanging up during the survey: no answer, no timer, nothing left', async () => {
    await counsellorHangsUp();
    await h.hearAll('caller-1'); // the answer timer runs
    h.telephony.remoteHangup('caller-1');
    await h.settle();
    await h.advance(10_000);
    expect(h.stores.records.satisfactionOf('caller-1')).toBeNull();
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('completed');
    expect(h.telephony.pbx.playbacks.size).toBe(0);
    expect(h.calls.getCall('caller-1')).toBeUndefined();
  });

  it('never after an escalated call: the caller is hung up at once', async () => {
    await counsellorHangsUp('1', () => {
      const call = h.calls.getCall('caller-1');
      if (call) call.outcome = 'escalated';
    });
    expect(h.telephony.channel('caller-1')).toBeUndefined();
    expect(h.telephony.phonesRung().length).toBeGreaterThan(0);
    expect(h.stores.records.satisfactionOf('caller-1')).toBeNull();
  });

  it('a line with survey: false hangs up at once', async () => {
    await h.stop();
    h = await startTestHotline({ config: serviceTestConfig((c) => { withSurvey(c); c.lines.main!.survey = false; }) });
    await counsellorHangsUp();
    expect(h.telephony.channel('caller-1')).toBeUndefined();
  });

  it('a failure while starting the survey hangs up politely (never the dialplan fallback)', async () => {
    h.telephony.failOn('play', { when: (_t, sounds) => JSON.stringify(sounds).includes('survey_question') });
    await counsellorHangsUp();
    expect(h.telephony.channel('caller-1')).toBeUndefined();
    expect((await h.stores.records.get('caller-1'))?.outcome).toBe('completed');
    expect(h.telephony.pbx.bridges.has('call-caller-1')).toBe(false);
  });

  it('a failure on a key press hangs up politely', async () => {
    await counsellorHangsUp();
    h.telephony.failOn('play', { when: (_t, sounds) => JSON.stringify(sounds).includes('survey_thanks') });
    h.telephony.dtmf('caller-1', '2');
    await h.settle();
    expect(h.stores.records.satisfactionOf('caller-1')).toBe(2);
    expect(h.telephony.channel('caller-1')).toBeUndefined();
  });

  it('with PostgreSQL down, the answer waits in the backlog and is written when it is back', async () => {
    await counsellorHangsUp();
    h.stores.database.down = true;
    h.telephony.dtmf('caller-1', '3');
    await h.settle();
    await h.hearAll('caller-1');
    expect(h.telephony.channel('caller-1')).toBeUndefined();
    expect(h.stores.records.satisfactionOf('caller-1')).toBeNull();
    h.stores.database.down = false;
    await h.advance(5000);
    expect(h.stores.records.satisfactionOf('caller-1')).toBe(3);
    expect(await h.stores.records.countByCounsellor('2000-01-01T00:00:00Z', '2100-01-01T00:00:00Z')).toEqual([
      { counsellorId: 'c1', satisfied: 0, basicallySatisfied: 0, dissatisfied: 1 },
    ]);
  });
});
