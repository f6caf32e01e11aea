import { describe, expect, it } from 'vitest';
import { checkCaseForm, checkDraft, type CaseDraft } from '../../../src/domain/cases/case-form.ts';
import { rules } from './fixtures.ts';

const complete: CaseDraft = {
  categories: ['interpersonal/peers', 'mental-health/anxiety'],
  grade: 3,
  summary: '  被同学言语攻击，焦虑  ',
  area: { city: '广州市', county: '天河区' },
  consent: { followUpCall: true, centreContact: false },
  orderRequested: false,
};

describe('saving a case', () => {
  it('saves a complete form, trimmed, without an order when none is asked for and the grade does not require one', () => {
    expect(checkCaseForm(complete, rules())).toEqual({
      ok: true,
      orderRequired: false,
      form: { ...complete, summary: '被同学言语攻击，焦虑' },
    });
  });

  it('needs an order when asked for, or for grades 一级 and 二级', () => {
    expect(checkCaseForm({ ...complete, orderRequested: true }, rules())).toMatchObject({ ok: true, orderRequired: true });
    expect(checkCaseForm({ ...complete, grade: 2 }, rules())).toMatchObject({ ok: true, orderRequired: true });
    expect(checkCaseForm({ ...complete, grade: 1 }, rules())).toMatchObject({ ok: true, orderRequired: true });
  });

  it('names every missing field', () => {
    expect(checkCaseForm({}, rules())).toEqual({
      ok: false,
      errors: [
        { field: 'categories', code: 'categories-required' },
        { field: 'grade', code: 'grade-required' },
        { field: 'summary', code: 'summary-required' },
        { field: 'consent', code: 'consent-required' },
      ],
    });
    expect(checkCaseForm({ ...complete, categories: [], summary: '   ' }, rules())).toMatchObject({
      ok: false, errors: [{ code: 'categories-required' }, { code: 'summary-required' }],
    });
  });

  it('refuses a grade below what the call demands', () => {
    expect(checkCaseForm({ ...complete, grade: 2 }, rules({ escalated: true }))).toEqual({
      ok: false, errors: [{ field: 'grade', code: 'grade-below-floor', floor: 1 }],
    });
    expect(checkCaseForm({ ...complete, grade: 3 }, rules({ emergencyKey: true }))).toMatchObject({ ok: false, errors: [{ code: 'grade-below-floor', floor: 2 }] });
    expect(checkCaseForm({ ...complete, grade: 2 }, rules({ emergencyKey: true }))).toMatchObject({ ok: true });
  });

  it('refuses unknown categories and areas, bad grades and long summaries (counted in characters)', () => {
    const r = checkCaseForm({ ...complete, categories: ['mental-health'], grade: 7 as 1, summary: '字'.repeat(21), area: { city: '深圳市', county: null } }, rules());
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'categories', code: 'category-needs-subcategory', category: 'mental-health' },
        { field: 'grade', code: 'grade-invalid' },
        { field: 'summary', code: 'summary-too-long', maxLength: 20 },
        { field: 'area', code: 'area-unknown' },
      ],
    });
    expect(checkCaseForm({ ...complete, summary: '字'.repeat(20) }, rules()).ok).toBe(true);
  });

  it('accepts a caller who did not say where they are', () => {
    expect(checkCaseForm({ ...complete, area: null }, rules())).toMatchObject({ ok: true, form: { area: null } });
  });
});

describe('keeping a draft', () => {
  it('keeps an incomplete draft', () => {
    expect(checkDraft({}, rules())).toEqual([]);
    expect(checkDraft({ summary: '正在记录' }, rules())).toEqual([]);
  });

  it('refuses a draft that could never be saved as it is', () => {
    expect(checkDraft({ categories: ['x'], grade: 4 }, rules({ escalated: true }))).toEqual([
      { field: 'categories', code: 'category-unknown', category: 'x' },
      { field: 'grade', code: 'grade-below-floor', floor: 1 },
    ]);
  });
});
