import { afterEach, beforeEach, vi } from 'vitest';
import { FAKE_TIMERS, startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';

/**
 * Gives every test of the file a fresh hotline over fakes, under fake timers, and stops it after
 * the test. `started` gets each one before its test runs (to keep, and to prepare further).
 */
export function hotlinePerTest(started: (h: TestHotline) => void | Promise<void>): void {
  let h: TestHotline | undefined;
  beforeEach(async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    h = await startTestHotline();
    await started(h);
  });
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    vi.useRealTimers();
  });
}
