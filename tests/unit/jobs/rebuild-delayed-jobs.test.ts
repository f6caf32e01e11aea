import { describe, expect, test } from 'vitest';
import { rebuildDelayedJobs, type DelayedJobRebuildQueue } from '../../../src/services/jobs/rebuild-delayed-jobs.ts';

type Job = { id: string; fireAt: string };

/** A queue holding `present` jobs, recording what it was asked to add and promote. */
function queue(present: string[]) {
  const calls = { scheduled: [] as string[], promoted: [] as string[], scheduledAt: [] as Date[] };
  const q: DelayedJobRebuildQueue<Job> = {
    async schedule(jobs, now) {
      calls.scheduled.push(...jobs.map((j) => j.id));
      calls.scheduledAt.push(now);
    },
    async existing(ids) {
      return new Set(ids.filter((id) => present.includes(id)));
    },
    async promote(ids) {
      calls.promoted.push(...ids);
    },
  };
  return { q, calls };
}

const now = new Date('2026-12-06T12:00:00Z');
const past = '2026-12-06T11:00:00Z';
const future = '2026-12-06T13:00:00Z';

describe('rebuildDelayedJobs', () => {
  test('adds the missing jobs (past or future) and promotes only existing jobs whose time has passed', async () => {
    const { q, calls } = queue(['a', 'b']);
    const jobs = [{ id: 'a', fireAt: past }, { id: 'b', fireAt: future }, { id: 'c', fireAt: past }, { id: 'd', fireAt: future }];
    expect(await rebuildDelayedJobs(q, jobs, now)).toEqual({ added: 2, promoted: 1 });
    expect(calls.scheduled).toEqual(['c', 'd']);
    expect(calls.scheduledAt).toEqual([now]);
    expect(calls.promoted).toEqual(['a']);
  });

  test('a job due exactly now counts as passed', async () => {
    const { q, calls } = queue(['a']);
    await rebuildDelayedJobs(q, [{ id: 'a', fireAt: now.toISOString() }], now);
    expect(calls.promoted).toEqual(['a']);
  });

  test('nothing to do asks for no change', async () => {
    const { q, calls } = queue(['a']);
    expect(await rebuildDelayedJobs(q, [{ id: 'a', fireAt: future }], now)).toEqual({ added: 0, promoted: 0 });
    expect(calls).toEqual({ scheduled: [], promoted: [], scheduledAt: [] });
  });
});
