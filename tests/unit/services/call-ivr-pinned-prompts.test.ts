import { afterEach, describe, expect, it, vi } from 'vitest';
import { serviceTestConfig } from '../../fakes/hotline-fixture.ts';
import { FAKE_TIMERS, startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';

let h: TestHotline | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  vi.useRealTimers();
});

describe('a menu prompt pinned to a language', () => {
  it('is played from that language\'s sounds, the others from the caller\'s', async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    const config = serviceTestConfig((c) => {
      c.menus.language!.prompts = ['welcome_language', { prompt: 'main_menu', language: 'yue' }];
    });
    h = await startTestHotline({ config });
    h.telephony.callerEnters('caller-1', { number: '13912345678' });
    await h.settle();
    expect(h.telephony.playbacksOn('caller-1').map((p) => p.sounds)).toEqual([
      [{ prompt: 'welcome_language', language: 'cmn' }, { prompt: 'main_menu', language: 'yue' }],
    ]);
  });
});
