import { beforeEach, expect, it } from 'vitest';
import { PRIORITY } from '../../src/domain/calls/routing-request.ts';
import type { CallbackRequest, Jobs, PendingCallback } from '../../src/ports/jobs.ts';

function request(callId: string, enqueuedAt: number, callerNumber = '13800138000'): CallbackRequest {
  return {
    callId, callerNumber, enqueuedAt, requestedAt: new Date(enqueuedAt + 60_000).toISOString(),
    routing: { line: 'main', need: 'legal', skills: ['legal'], language: 'yue', priority: PRIORITY.callback, highRisk: false, announce: [] },
  };
}

const noAudit = async (): Promise<void> => {};

/** The Jobs contract (callbacks): one job per call, listed by original place, claimed by exactly one person. */
export function jobsContract(make: () => Promise<Jobs>): void {
  let jobs: Jobs;
  beforeEach(async () => {
    jobs = await make();
  });

  it('keeps one callback per call, however often it is asked for, with what the caller gave', async () => {
    const first = await jobs.requestCallback(request('call-1', 1000, '13912345678'));
    const again = await jobs.requestCallback(request('call-1', 1000, '13912345678'));
    expect(again).toBe(first);
    const pending = await jobs.pendingCallbacks();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toEqual({ ...request('call-1', 1000, '13912345678'), jobId: first });
  });

  it('lists pending callbacks by the place the callers had in the queue, not by when they asked', async () => {
    await jobs.requestCallback(request('late-in-queue', 3000));
    await jobs.requestCallback(request('first-in-queue', 1000));
    await jobs.requestCallback(request('second-in-queue', 2000));
    expect((await jobs.pendingCallbacks()).map((c) => c.callId)).toEqual(['first-in-queue', 'second-in-queue', 'late-in-queue']);
  });

  it('gives a callback to the first person who claims it; later claims hear it is taken, unknown ids that it is unknown', async () => {
    const jobId = await jobs.requestCallback(request('call-1', 1000, '13912345678'));
    const audited: PendingCallback[] = [];
    const claim = await jobs.claimCallback(jobId, 'c1001', async (cb) => void audited.push(cb));
    expect(claim).toEqual({ status: 'claimed', callback: { ...request('call-1', 1000, '13912345678'), jobId } });
    expect(audited.map((c) => c.jobId)).toEqual([jobId]);
    expect(await jobs.claimCallback(jobId, 's2001', noAudit)).toEqual({ status: 'taken' });
    expect(await jobs.claimCallback('callback-never-asked', 's2001', noAudit)).toEqual({ status: 'unknown' });
    expect(await jobs.pendingCallbacks()).toEqual([]);
  });

  it('lets exactly one of many people claiming at the same moment have the callback', async () => {
    const jobId = await jobs.requestCallback(request('call-1', 1000));
    const claimants = ['c1001', 'c1002', 'c1003', 's2001', 's2002'];
    const claims = await Promise.all(claimants.map((who) => jobs.claimCallback(jobId, who, noAudit)));
    expect(claims.filter((c) => c.status === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.status === 'taken')).toHaveLength(claimants.length - 1);
  });

  it('leaves the callback pending when the claim cannot be recorded, so another person can take it', async () => {
    const jobId = await jobs.requestCallback(request('call-1', 1000));
    await expect(jobs.claimCallback(jobId, 'c1001', async () => {
      throw new Error('audit log down');
    })).rejects.toThrow('audit log down');
    expect((await jobs.pendingCallbacks()).map((c) => c.jobId)).toEqual([jobId]);
    expect((await jobs.claimCallback(jobId, 'c1002', noAudit)).status).toBe('claimed');
  });

  it('holds a callback being dialled: off the list, not claimable, then finished once the caller answered', async () => {
    const jobId = await jobs.requestCallback(request('call-1', 1000));
    const audited: string[] = [];
    expect((await jobs.reserveCallback(jobId, 'c1001', async (cb) => void audited.push(cb.jobId), 60_000)).status).toBe('claimed');
    expect(audited).toEqual([jobId]);
    expect(await jobs.pendingCallbacks()).toEqual([]);
    expect(await jobs.claimCallback(jobId, 's2001', noAudit)).toEqual({ status: 'taken' });
    expect(await jobs.reserveCallback(jobId, 'c1002', noAudit, 60_000)).toEqual({ status: 'taken' });
    await jobs.finishCallback(jobId);
    expect(await jobs.pendingCallbacks()).toEqual([]);
    expect((await jobs.claimCallback(jobId, 's2001', noAudit)).status).not.toBe('claimed');
  });

  it('puts a held callback back on the list when it did not reach the caller, for anyone to take', async () => {
    const jobId = await jobs.requestCallback(request('call-1', 1000));
    await jobs.requestCallback(request('call-0', 500));
    await jobs.reserveCallback(jobId, 'c1001', noAudit, 60_000);
    await jobs.returnCallback(jobId);
    expect((await jobs.pendingCallbacks()).map((c) => c.callId)).toEqual(['call-0', 'call-1']);
    expect((await jobs.claimCallback(jobId, 'c1002', noAudit)).status).toBe('claimed');
  });

  it('lets a hold nobody ended lapse, so the callback is pending again', async () => {
    const jobId = await jobs.requestCallback(request('call-1', 1000));
    await jobs.reserveCallback(jobId, 'c1001', noAudit, 150);
    expect(await jobs.pendingCallbacks()).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await jobs.pendingCallbacks()).map((c) => c.jobId)).toEqual([jobId]);
  });

  it('claims one callback without touching the others', async () => {
    const a = await jobs.requestCallback(request('call-a', 1000));
    await jobs.requestCallback(request('call-b', 2000));
    expect((await jobs.claimCallback(a, 'c1001', noAudit)).status).toBe('claimed');
    expect((await jobs.pendingCallbacks()).map((c) => c.callId)).toEqual(['call-b']);
  });
}
