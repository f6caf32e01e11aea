import { afterEach, beforeEach, vi } from 'vitest';
import { FakeTelephony } from '../../fakes/fake-telephony.ts';
import { FAKE_TIMERS, startTestHotline, type TestHotline } from '../../fakes/hotline-harness.ts';

/**
 * A hotline over fakes per test that the test can restart: the service is killed (the PBX keeps
 * every channel) and a new one starts over the same stores, as after a crash. `before()` is the
 * first service, `after()` the restarted one (null until `restart`).
 */
export function restartableHotlinePerTest(prepare: (h: TestHotline) => Promise<void> = async () => undefined) {
  let first: TestHotline;
  let second: TestHotline | null = null;
  beforeEach(async () => {
    vi.useFakeTimers(FAKE_TIMERS);
    first = await startTestHotline();
    second = null;
    await prepare(first);
  });
  afterEach(async () => {
    await (second ?? first).stop();
    vi.useRealTimers();
  });
  return {
    before: () => first,
    after: () => second,
    /** `storesLost`: the new service starts with empty stores (Redis and PostgreSQL lost their data). */
    async restart(change: (t: FakeTelephony) => void = () => undefined, o: { storesLost?: boolean } = {}): Promise<TestHotline> {
      await first.stop();
      const telephony = FakeTelephony.restartedFrom(first.telephony);
      change(telephony);
      second = await startTestHotline({ telephony, ...(o.storesLost ? {} : { stores: first.stores }) });
      return second;
    },
  };
}
