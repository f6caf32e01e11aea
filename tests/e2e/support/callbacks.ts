import type { AriInspector } from './ari-inspector.ts';
import { startCaller } from './peers.ts';
import type { RunningService } from './service.ts';
import { waitFor } from './wait.ts';

export interface PendingCallbackView { jobId: string; callId: string; callerNumber: string }

/**
 * A caller on 12355 who picks Mandarin and psychological, waits in a queue nobody can serve,
 * books a callback with key 1 once it is offered, and hangs up after the confirmation. Needs a
 * hotline config whose callback offer comes early (callbackOfferUnstaffedAfterMs).
 */
export async function bookCallback(s: RunningService, token: string, callerNumber: string, ari: AriInspector): Promise<PendingCallbackView> {
  const keys = [{ key: '1', afterMs: 1000 }, { key: '1', afterMs: 1000 }, ...Array.from({ length: 20 }, () => ({ key: '1', afterMs: 1500 }))];
  const caller = await startCaller({ callerNumber, keys, holdMs: 3000, hangup: 'caller' });
  try {
    const booked = await waitFor('the callback in the list', async () => {
      const { body } = await s.api<{ callbacks: PendingCallbackView[] }>('/api/callbacks', token);
      return body.callbacks.find((c) => c.callerNumber.endsWith(callerNumber.slice(-2)));
    }, 40_000);
    await caller.done;
    await ari.waitForNoLeftovers(10_000);
    return booked;
  } finally {
    await caller.stop();
  }
}
