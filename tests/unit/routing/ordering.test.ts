import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIORITY } from '../../../src/domain/calls/routing-request.ts';
import { callerInsertionIndex, compareCallers, sortCallers } from '../../../src/domain/routing/ordering.ts';
import type { WaitingCaller } from '../../../src/domain/routing/types.ts';
import { NOW, callerArb, refCallerOrder } from './routing-arbitraries.ts';

const callersArb = fc.uniqueArray(callerArb([]), { selector: (k) => k.callId, maxLength: 30 });

const caller = (callId: string, priority: number, enqueuedAt: number): WaitingCaller => ({
  callId,
  priority,
  enqueuedAt,
  skills: [],
  language: 'cmn',
  team: null,
  declinedBy: [],
});

describe('caller order', () => {
  it('puts priority first, then the longest waiting, then the call id', () => {
    const queue = [
      caller('b', PRIORITY.normal, NOW - 500),
      caller('a', PRIORITY.normal, NOW - 500),
      caller('old', PRIORITY.normal, NOW - 9000),
      caller('cb', PRIORITY.callback, NOW - 100),
      caller('sos', PRIORITY.emergency, NOW),
    ];
    expect(sortCallers(queue).map((k) => k.callId)).toEqual(['sos', 'cb', 'old', 'a', 'b']);
    expect(queue[0]?.callId).toBe('b'); // input untouched
  });

  it('matches the reference order and is antisymmetric', () => {
    fc.assert(
      fc.property(callersArb, (callers) => {
        expect(sortCallers(callers)).toEqual([...callers].sort(refCallerOrder));
        for (const a of callers) {
          for (const b of callers) expect(Math.sign(compareCallers(a, b)) + Math.sign(compareCallers(b, a))).toBe(0);
        }
      }),
    );
  });

  it('callerInsertionIndex keeps a sorted queue sorted', () => {
    fc.assert(
      fc.property(callersArb, (callers) => {
        const queue: WaitingCaller[] = [];
        for (const k of callers) queue.splice(callerInsertionIndex(queue, k), 0, k);
        expect(queue).toEqual(sortCallers(callers));
      }),
    );
  });
});
