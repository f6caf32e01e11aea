import { describe, expect, test } from 'vitest';
import { categoryGroups, draftFromState, fieldErrorText, gradeChoices, orderForced, repeatCallerText, stateFromCase } from '../../../web/src/console/case-form-model.ts';
import { byUrgency, categoryText, deadlineText, gradeText, orderRow } from '../../../web/src/shared/work-orders.ts';
import type { CaseSettingsResponse, CaseView } from '../../../src/wire/cases.ts';
import type { ActiveDeadline, WorkOrderSummary } from '../../../src/wire/work-orders.ts';

const settings = {
  categories: [
    { id: 'relations', label: '人际关系', children: [{ id: 'classmates', label: '同学' }, { id: 'parents', label: '亲子' }] },
    { id: 'exam-stress', label: '学业与考试压力', children: [] },
  ],
  grades: [{ grade: 1, label: '紧急危险' }, { grade: 2, label: '二级' }, { grade: 3, label: '较低' }, { grade: 4, label: '低' }],
  autoOrderGrades: [1, 2],
  summaryMaxLength: 500,
  areas: { 广州市: ['天河区'], 深圳市: [] },
  centres: [],
  labels: { orderStatus: { dispatched: '待签收' }, orderEvent: {}, followUpOutcome: {} },
} as CaseSettingsResponse;

const T0 = Date.parse('2026-12-07T02:00:00Z');
const deadline = (dueInMin: number, remindInMin: number, supervision: 0 | 1 | 2 = 0, kind: 'accept' | 'reply' = 'accept'): ActiveDeadline => ({
  kind, dueAt: new Date(T0 + dueInMin * 60_000).toISOString(), remindAt: new Date(T0 + remindInMin * 60_000).toISOString(),
  secondLevelAt: new Date(T0 + (dueInMin + 60) * 60_000).toISOString(), reminded: false, supervision,
});

describe('deadline countdown', () => {
  test('time left, with the reminder marked once it has passed', () => {
    expect(deadlineText(deadline(125, 60), T0)).toEqual({ text: '签收剩余 2小时05分', tone: 'ok' });
    expect(deadlineText(deadline(30, -5, 0, 'reply'), T0)).toEqual({ text: '回复剩余 30分（催办）', tone: 'warn' });
    expect(deadlineText(deadline(3 * 1440 + 60, 2000), T0).text).toBe('签收剩余 3天1小时');
  });
  test('overdue, with the supervision level', () => {
    expect(deadlineText(deadline(-90, -120, 1), T0)).toEqual({ text: '签收已超时 1小时30分（督办）', tone: 'bad' });
    expect(deadlineText(deadline(-1500, -1600, 2), T0).text).toBe('签收已超时 1天1小时（二级督办）');
    expect(deadlineText(deadline(0, -1), T0).tone).toBe('bad');
  });
  test('no deadline running', () => expect(deadlineText(null, T0)).toEqual({ text: '—', tone: 'none' }));
});

describe('labels', () => {
  test('grades with their configured meaning, once', () => {
    expect(gradeText(1, settings)).toBe('一级（紧急危险）');
    expect(gradeText(2, settings)).toBe('二级');
    expect(gradeText(null)).toBe('—');
  });
  test('category codes as paths of labels; unknown codes as they are', () => {
    expect(categoryText(['relations/parents', 'exam-stress', 'nope/x'], settings)).toBe('人际关系 › 亲子、学业与考试压力、nope/x');
    expect(categoryText([], settings)).toBe('—');
  });
});

const order = (over: Partial<WorkOrderSummary>): WorkOrderSummary => ({
  id: 'o1', caseId: 'c1', version: 1, status: 'dispatched', grade: 2, centreId: 'gz', centreName: '广州市12355', proposedCentreId: 'gz',
  automatic: true, deadline: null, overdue: { accept: 0, reply: 0 }, returnedBy: [], reopenCount: 0, followUpAttempts: 0, closedAt: null,
  createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(), ...over,
});

describe('order lists', () => {
  test('a row: labels, centre, countdown and the 督办 mark', () => {
    expect(orderRow(order({ deadline: deadline(10, 5), overdue: { accept: 1, reply: 0 } }), settings, T0)).toEqual({
      id: 'o1', grade: '二级', status: '待签收', centre: '广州市12355', deadline: '签收剩余 10分', tone: 'ok', supervised: true,
    });
    expect(orderRow(order({ centreId: null, centreName: null, status: 'draft' }), settings, T0)).toMatchObject({ centre: '未派单', status: 'draft', supervised: false });
  });
  test('most urgent first; orders without a deadline last, newest first', () => {
    const a = order({ id: 'late', deadline: deadline(-5, -10) });
    const b = order({ id: 'soon', deadline: deadline(30, 10) });
    const c = order({ id: 'old-none', createdAt: new Date(T0 - 1000).toISOString() });
    const d = order({ id: 'new-none', createdAt: new Date(T0).toISOString() });
    expect([c, b, d, a].sort(byUrgency).map((o) => o.id)).toEqual(['late', 'soon', 'new-none', 'old-none']);
  });
});

describe('the case form', () => {
  test('an escalated call offers 一级 only; an emergency 一级 and 二级; others all four', () => {
    expect(gradeChoices(1)).toEqual([1]);
    expect(gradeChoices(2)).toEqual([1, 2]);
    expect(gradeChoices(4)).toEqual([1, 2, 3, 4]);
  });
  test('grades that require an order force the box', () => {
    expect(orderForced(2, settings)).toBe(true);
    expect(orderForced(3, settings)).toBe(false);
    expect(orderForced(null, settings)).toBe(false);
  });
  test('one checkbox per code a case may carry', () => {
    expect(categoryGroups(settings)).toEqual([
      { label: '人际关系', options: [{ code: 'relations/classmates', label: '同学' }, { code: 'relations/parents', label: '亲子' }] },
      { label: '学业与考试压力', options: [{ code: 'exam-stress', label: '学业与考试压力' }] },
    ]);
  });
  test('a new form preselects the suggested grade; a draft comes back as it was', () => {
    expect(stateFromCase(null, 2)).toEqual({ categories: [], grade: 2, summary: '', city: '', county: '', followUpCall: false, centreContact: false, orderRequested: false });
    const draft = { categories: ['exam-stress'], grade: 3, summary: '考前焦虑', area: { city: '广州市', county: '天河区' }, consent: { followUpCall: true, centreContact: false }, orderRequested: true } as Partial<CaseView>;
    expect(stateFromCase(draft as CaseView, 4)).toEqual({ categories: ['exam-stress'], grade: 3, summary: '考前焦虑', city: '广州市', county: '天河区', followUpCall: true, centreContact: false, orderRequested: true });
  });
  test('the body sent: no city means no area; a city without county keeps county null', () => {
    const s = stateFromCase(null, 4);
    expect(draftFromState(s).area).toBeNull();
    expect(draftFromState({ ...s, city: '深圳市' }).area).toEqual({ city: '深圳市', county: null });
    expect(draftFromState({ ...s, grade: null })).not.toHaveProperty('grade');
    expect(draftFromState({ ...s, followUpCall: true }).consent).toEqual({ followUpCall: true, centreContact: false });
  });
  test('every field error has a message in Chinese', () => {
    expect(fieldErrorText({ field: 'grade', code: 'grade-below-floor', floor: 1 })).toBe('本次通话的风险等级不能低于一级');
    expect(fieldErrorText({ field: 'categories', code: 'categories-required' })).toMatch(/分类/);
    expect(fieldErrorText({ field: 'summary', code: 'summary-too-long', maxLength: 500 })).toContain('500');
  });
  test('repeat callers are told without the number; a first call says nothing', () => {
    expect(repeatCallerText({ linkable: true, previousCases: 2, dates: ['2026-12-01T03:00:00Z', '2026-11-20T03:00:00Z'], lastGrade: 2, lastCategories: ['exam-stress'], openOrder: true }, settings))
      .toBe('此号码曾来电 2 次（最近 2026-12-01），上次 二级 · 学业与考试压力；有未办结工单');
    expect(repeatCallerText({ linkable: true, previousCases: 0, dates: [], lastGrade: null, lastCategories: [], openOrder: false }, settings)).toBeNull();
    expect(repeatCallerText({ linkable: false, previousCases: 0, dates: [], lastGrade: null, lastCategories: [], openOrder: false }, settings)).toBeNull();
  });
});
