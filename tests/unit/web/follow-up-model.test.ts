import { describe, expect, it } from 'vitest';
import { followUpEventFor, followUpHeadline, followUpRows, initialFollowUpCard, OUTCOME_BUTTONS } from '../../../web/src/console/follow-up-model.ts';
import type { FollowUpDetailResponse } from '../../../src/wire/follow-ups.ts';

const detail: FollowUpDetailResponse = {
  followUp: {
    id: 'case-1-2', caseId: 'case-1', orderId: null, attempt: 2, maxAttempts: 3, grade: 2, dueAt: '2026-06-02T02:00:00.000Z', startedAt: null, endedAt: null,
    counsellorId: 'c1', callId: null, dialResult: null, outcome: null, satisfied: null, alertedAt: null,
  },
  case: { caseId: 'case-1', callId: 'call-1', grade: 2, categories: ['学业', '人际'], summary: '考试焦虑', callerNumber: '138******00' },
};

describe('the console\'s follow-up card', () => {
  it('hears only its own counsellor\'s follow-up events', () => {
    const ev = { type: 'follow-up', followUpId: 'case-1-2', caseId: 'case-1', counsellorId: 'c1', change: 'ringing' } as const;
    expect(followUpEventFor(ev, 'c1')).toEqual({ id: 'case-1-2', change: 'ringing' });
    expect(followUpEventFor(ev, 'c2')).toBeNull();
    expect(followUpEventFor({ type: 'queue-changed' }, 'c1')).toBeNull();
  });

  it('shows the case while ringing: attempt n of m, grade, categories, last summary, masked number', () => {
    expect(followUpRows(detail).map((r) => [r.key, r.value])).toEqual([
      ['attempt', '第 2 / 3 次'], ['grade', '二级'], ['categories', '学业、人际'], ['summary', '考试焦虑'], ['number', '138******00'],
    ]);
    expect(followUpRows(detail).find((r) => r.key === 'grade')?.cls).toBe('risk');
    expect(followUpRows({ ...detail, case: { ...detail.case, summary: null, grade: 4, categories: [] } }).map((r) => r.value)).toContain('（已删除）');
  });

  it('offers the outcomes only once connected; not-reached is the service\'s', () => {
    expect(followUpHeadline(initialFollowUpCard())).toBeNull();
    expect(followUpHeadline({ detail, connected: false, saving: false })).toContain('接听后');
    expect(followUpHeadline({ detail, connected: true, saving: false })).toContain('记录');
    expect(OUTCOME_BUTTONS.map((b) => b.outcome)).not.toContain('not-reached');
    expect(OUTCOME_BUTTONS.filter((b) => b.outcome === 'reached-safe').map((b) => b.satisfied)).toEqual([true, false]);
  });
});
