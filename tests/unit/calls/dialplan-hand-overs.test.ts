import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PbxNotFoundError, PbxOperationError } from '../../../src/errors.ts';
import type { LiveCall } from '../../../src/ports/live-calls.ts';
import type { Telephony } from '../../../src/ports/telephony.ts';
import { DialplanHandOvers } from '../../../src/services/calls/dialplan-hand-overs.ts';

const log = pino({ level: 'silent' });
const call = { callId: 'c-1', channelId: 'chan-1', phase: 'ending' } as LiveCall;

/** The PBX answers each hand-over with the next of `answers` ('ok', 'refused', 'gone'); retries are kept to run by hand. */
function rig(answers: Array<'ok' | 'refused' | 'gone'>, live = () => true) {
  const tried: string[] = [];
  const retries: Array<{ ms: number; retry: () => Promise<void> }> = [];
  const telephony = {
    async continueInDialplan(channelId: string) {
      tried.push(channelId);
      const answer = answers.shift() ?? 'ok';
      if (answer === 'refused') throw new PbxOperationError('POST /channels/chan-1/continue', 500, 'Internal Server Error');
      if (answer === 'gone') throw new PbxNotFoundError('channel chan-1');
    },
  } as unknown as Telephony;
  const handOvers = new DialplanHandOvers({ telephony, isLive: () => live(), retryLater: (_call, ms, retry) => void retries.push({ ms, retry }) });
  return { handOvers, tried, retries };
}

describe('DialplanHandOvers', () => {
  it('retries a refused hand-over, backing off 0.5, 1, 2 s, until the PBX takes it', async () => {
    const { handOvers, tried, retries } = rig(['refused', 'refused', 'refused', 'ok']);
    await handOvers.start(call, 'queued', log, new Error('step failed'));
    for (let i = 0; i < 3; i++) await retries[i]!.retry();
    expect(retries.map((r) => r.ms)).toEqual([500, 1000, 2000]);
    expect(tried).toEqual(['chan-1', 'chan-1', 'chan-1', 'chan-1']);
    expect(await handOvers.callerWentFirst(call), 'handed over: the caller did not go first').toBeNull();
  });

  it('backs off no longer than 10 s', async () => {
    const { handOvers, retries } = rig(Array(8).fill('refused'));
    await handOvers.start(call, 'queued', log, new Error('step failed'));
    for (let i = 0; i < 7; i++) await retries[i]!.retry();
    expect(retries.map((r) => r.ms)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('stops retrying once the caller is no longer ours', async () => {
    let live = true;
    const { handOvers, tried, retries } = rig(['refused', 'refused'], () => live);
    await handOvers.start(call, 'queued', log, new Error('step failed'));
    live = false;
    await retries[0]!.retry();
    expect(tried).toHaveLength(1);
    expect(retries).toHaveLength(1);
  });

  it('tells the phase before the failure when the hand-over found the caller gone', async () => {
    const { handOvers, retries } = rig(['gone']);
    await handOvers.start(call, 'offered', log, new Error('step failed'));
    expect(retries).toEqual([]);
    expect(await handOvers.callerWentFirst(call)).toBe('offered');
  });

  it('knows nothing of a call it was not asked to hand over', async () => {
    const { handOvers } = rig([]);
    expect(await handOvers.callerWentFirst(call)).toBeNull();
  });
});
