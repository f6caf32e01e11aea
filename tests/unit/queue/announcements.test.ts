import { describe, expect, it } from 'vitest';
import { estimateWaitMinutes, numberPrompts, positionAnnouncement } from '../../../src/domain/queue/announcements.ts';

describe('numberPrompts', () => {
  it.each([
    [0, ['digit_0']], [7, ['digit_7']], [10, ['digit_10']], [13, ['digit_10', 'digit_3']], [20, ['digit_2', 'digit_10']],
    [35, ['digit_3', 'digit_10', 'digit_5']], [99, ['digit_9', 'digit_10', 'digit_9']], [250, ['digit_9', 'digit_10', 'digit_9']],
    [-3, ['digit_0']],
  ])('speaks %i as %j', (n, prompts) => {
    expect(numberPrompts(n)).toEqual(prompts);
  });
});

describe('estimateWaitMinutes', () => {
  it('is at least a minute', () => {
    expect(estimateWaitMinutes(1, 5, 1000)).toBe(1);
  });
  it('grows with the callers ahead and shrinks with counsellors', () => {
    expect(estimateWaitMinutes(4, 1, 8 * 60_000)).toBe(32);
    expect(estimateWaitMinutes(4, 4, 8 * 60_000)).toBe(8);
  });
  it('treats no counsellor as one, never dividing by zero', () => {
    expect(estimateWaitMinutes(2, 0, 60_000)).toBe(2);
  });
});

describe('positionAnnouncement', () => {
  it('says how many are ahead and the estimated minutes', () => {
    expect(positionAnnouncement(3, 2, 4 * 60_000)).toEqual([
      'queue_position_prefix', 'digit_2', 'queue_position_suffix', 'queue_wait_minutes', 'digit_6', 'queue_wait_minutes_suffix',
    ]);
  });
});
