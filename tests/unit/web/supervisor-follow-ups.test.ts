import { describe, expect, it } from 'vitest';
import type { FollowUpView } from '../../../src/wire/follow-ups.ts';
import { followUpRows } from '../../../web/src/supervisor/follow-ups.ts';

const NOW = Date.parse('2026-12-08T02:00:00Z'); // 10:00 in Shanghai

function view(over: Partial<FollowUpView>): FollowUpView {
  return {
    id: 'fu-1', caseId: 'case-1', orderId: null, attempt: 1, maxAttempts: 3, grade: 2, dueAt: '2026-12-08T03:00:00Z',
    startedAt: null, endedAt: null, counsellorId: null, callId: null, dialResult: null, outcome: null, satisfied: null, alertedAt: null,
    ...over,
  };
}

describe('supervisor follow-up rows', () => {
  it('open attempts: earliest due first, and where each is: planned, due and waiting, dialling, in the call', () => {
    const { open } = followUpRows({
      open: [
        view({ id: 'planned', dueAt: '2026-12-08T05:00:00Z' }),
        view({ id: 'in-call', dueAt: '2026-12-08T01:00:00Z', startedAt: '2026-12-08T01:59:00Z', callId: 'c1', counsellorId: 'c1001' }),
        view({ id: 'due', dueAt: '2026-12-08T01:30:00Z', grade: 1, attempt: 2, maxAttempts: 2 }),
        view({ id: 'dialling', dueAt: '2026-12-08T01:45:00Z', startedAt: '2026-12-08T01:59:30Z', counsellorId: 'c1002' }),
        view({ id: 'due-low', dueAt: '2026-12-08T01:50:00Z', grade: 3 }),
      ],
      recent: [],
    }, NOW);
    expect(open.map((r) => [r.id, r.state, r.tone])).toEqual([
      ['in-call', '通话中，待记录结果', 'ok'],
      ['due', '已到期，等待空闲辅导员', 'warn'],
      ['dialling', '拨号中', 'ok'],
      ['due-low', '已到期，等待空闲辅导员', null],
      ['planned', '已安排', null],
    ]);
    expect(open[1]).toMatchObject({ grade: '一级', attempt: '2/2', counsellor: '—', when: '12/08 09:30' });
    expect(open[2]?.counsellor).toBe('c1002');
  });

  it('recent attempts: the outcome, satisfied or not, and the alert mark where supervisors were alerted; at most the limit', () => {
    const ended = '2026-12-08T01:00:00Z';
    const { recent } = followUpRows({
      open: [],
      recent: [
        view({ id: 'safe', outcome: 'reached-safe', satisfied: true, endedAt: ended }),
        view({ id: 'unhappy', outcome: 'reached-safe', satisfied: false, endedAt: ended }),
        view({ id: 'failed', outcome: 'not-reached', attempt: 3, alertedAt: ended, endedAt: ended }),
        view({ id: 'help', outcome: 'needs-help', endedAt: ended }),
        view({ id: 'declined', outcome: 'declined', endedAt: ended }),
      ],
    }, NOW, 4);
    expect(recent.map((r) => [r.id, r.state, r.tone, r.alerted])).toEqual([
      ['safe', '已联系，安全，满意', 'ok', false],
      ['unhappy', '已联系，安全，不满意', 'ok', false],
      ['failed', '未接通（已告警督导）', 'alarm', true],
      ['help', '需要进一步帮助', 'warn', false],
    ]);
  });
});
