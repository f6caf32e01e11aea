import { beforeEach, describe, expect, it } from 'vitest';
import { PRIORITY } from '../../../src/domain/calls/routing-request.ts';
import type { CounsellorSnapshot } from '../../../src/domain/routing/types.ts';
import type { PendingCallback } from '../../../src/ports/jobs.ts';
import { InProcessNotifier, type HotlineEvent } from '../../../src/ports/notifier.ts';
import type { QueuedCaller } from '../../../src/ports/queue-store.ts';
import { QueueWatchdog } from '../../../src/services/queue/queue-watchdog.ts';
import { FakeJobs } from '../../fakes/fake-jobs.ts';
import { serviceTestConfig } from '../../fakes/hotline-fixture.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { MemoryQueueStore } from '../../fakes/memory-queue-store.ts';

type Alert = Extract<HotlineEvent, { type: 'alert' }>;

const START = Date.parse('2026-06-07T02:00:00.000Z');

function caller(callId: string, enqueuedAt: number): QueuedCaller {
  return {
    callId, enqueuedAt, priority: PRIORITY.normal, skills: [], language: 'cmn', team: null, declinedBy: [],
    line: 'main', need: 'general', highRisk: false, state: 'waiting', offeredTo: [], offerId: null, callbackRequested: false, overflowed: false,
  };
}

function counsellor(id: string, skills: string[], status: CounsellorSnapshot['status'] = 'available'): CounsellorSnapshot {
  return {
    id, name: id, endpoint: `PJSIP/${id}`, skills, languages: ['cmn'], team: 'gz', level: 'city', status, statusSince: START,
    lastCallEndedAt: null, lastOfferedAt: null, callsToday: 0, missedInARow: 0, pauseReason: null, callId: null, registered: true,
  };
}

describe('queue watchdog: alerts no single event shows', () => {
  let clock: ManualClock;
  let store: MemoryQueueStore;
  let jobs: FakeJobs;
  let alerts: Alert[];
  let watchdog: QueueWatchdog;

  beforeEach(async () => {
    clock = new ManualClock(START);
    store = new MemoryQueueStore();
    jobs = new FakeJobs();
    alerts = [];
    const notifier = new InProcessNotifier();
    notifier.subscribe((e) => void (e.type === 'alert' && alerts.push(e)));
    const config = serviceTestConfig((c) => void (c.queue!.callbackClaimAlertAfterMs = 10 * 60_000));
    watchdog = new QueueWatchdog({ store, jobs, notifier, config, clock });
    // Someone for every need, so that only the alert under test is raised.
    await store.putCounsellor(counsellor('c1', ['psychological']));
  });

  const codes = () => alerts.map((a) => [a.code, a.callId ?? null]);

  it('raises a long wait once per caller, past a minute, and again only for a new episode', async () => {
    await store.putCaller(caller('call-1', START));
    clock.advance(59_000);
    await watchdog.check();
    expect(alerts).toEqual([]);
    clock.advance(2000);
    await watchdog.check();
    await watchdog.check();
    expect(codes()).toEqual([['long-wait', 'call-1']]);
    expect(alerts[0]!.severity).toBe('warning');
    await store.removeCaller('call-1');
    await watchdog.check();
    await store.putCaller(caller('call-1', START)); // back in the queue (an escalation ended): a new episode
    await watchdog.check();
    expect(codes()).toEqual([['long-wait', 'call-1'], ['long-wait', 'call-1']]);
  });

  it('raises a need nobody signed in can serve (a paused counsellor still counts as signed in)', async () => {
    await store.putCounsellor(counsellor('c2', [])); // serves the general and emergency needs
    await store.putCounsellor(counsellor('c1', ['psychological'], 'offline'));
    await watchdog.check();
    expect(codes()).toEqual([['no-qualified-counsellor', null]]);
    expect(alerts[0]!.message).toContain('psychological');
    await store.putCounsellor(counsellor('c1', ['psychological'], 'paused'));
    await watchdog.check();
    await store.putCounsellor(counsellor('c1', ['psychological'], 'offline'));
    await watchdog.check();
    expect(codes()).toEqual([['no-qualified-counsellor', null], ['no-qualified-counsellor', null]]);
  });

  it('raises a callback nobody claimed within the configured time, once, naming the call but not the number', async () => {
    const jobId = await jobs.requestCallback({
      callId: 'call-cb', callerNumber: '13912345678', enqueuedAt: START - 60_000, requestedAt: new Date(START).toISOString(),
      routing: { line: 'main', need: 'legal', skills: [], language: 'cmn', priority: PRIORITY.callback, highRisk: false, announce: [] },
    });
    clock.advance(9 * 60_000);
    await watchdog.check();
    expect(alerts).toEqual([]);
    clock.advance(61_000);
    await watchdog.check();
    await watchdog.check();
    expect(codes()).toEqual([['callback-overdue', 'call-cb']]);
    expect(alerts[0]!.message).toContain('10 分钟');
    expect(JSON.stringify(alerts)).not.toContain('13912345678');
    // Claimed: the episode is over; nothing more is raised for it.
    expect((await jobs.claimCallback(jobId, 's1', async () => {})).status).toBe('claimed');
    await watchdog.check();
    expect(codes()).toEqual([['callback-overdue', 'call-cb']]);
  });

  it('keeps raising the other alerts while the callbacks cannot be read, and does not repeat a raised callback alert', async () => {
    await jobs.requestCallback({
      callId: 'call-cb', callerNumber: '13912345678', enqueuedAt: START, requestedAt: new Date(START).toISOString(),
      routing: { line: 'main', need: 'legal', skills: [], language: 'cmn', priority: PRIORITY.callback, highRisk: false, announce: [] },
    });
    clock.advance(11 * 60_000);
    await watchdog.check();
    expect(codes()).toEqual([['callback-overdue', 'call-cb']]);
    const read = jobs.pendingCallbacks.bind(jobs);
    jobs.pendingCallbacks = async (): Promise<PendingCallback[]> => {
      throw new Error('Redis down');
    };
    await store.putCaller(caller('call-2', clock.now().getTime() - 120_000));
    await watchdog.check();
    jobs.pendingCallbacks = read;
    await watchdog.check();
    expect(codes()).toEqual([['callback-overdue', 'call-cb'], ['long-wait', 'call-2']]);
  });
});
