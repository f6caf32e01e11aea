import { describe, expect, it } from 'vitest';
import type { CaseForm } from '../../../src/domain/cases/case-form.ts';
import type { CentreProfile } from '../../../src/domain/work-orders/centre-proposal.ts';
import { orderForCase } from '../../../src/domain/work-orders/order-for-case.ts';

const centres: CentreProfile[] = [
  { id: 'gd', level: 'province', city: null, county: null, categories: ['*'] },
  { id: 'gz-tianhe', level: 'county', city: '广州市', county: '天河区', categories: ['legal'] },
];
const form = (patch: Partial<CaseForm>): CaseForm => ({
  categories: ['legal/bullying'], grade: 3, summary: '校园欺凌', area: { city: '广州市', county: '天河区' },
  consent: { followUpCall: true, centreContact: true }, orderRequested: false, ...patch,
});
const make = (patch: Partial<CaseForm>) => orderForCase({ form: form(patch), autoOrderGrades: [1, 2], centres, actor: { id: 'c1', role: 'counsellor' }, at: '2026-03-10T02:00:00.000Z' });

describe('the order a case opens', () => {
  it('opens none when neither asked for nor required by the grade', () => {
    expect(make({ grade: 3 })).toBeNull();
    expect(make({ grade: 4 })).toBeNull();
  });

  it('opens the counsellor\'s order when asked for, with the proposed centre', () => {
    const step = make({ orderRequested: true });
    expect(step).toMatchObject({ ok: true, commands: [], state: { status: 'draft', grade: 3, proposedCentreId: 'gz-tianhe', automatic: false }, record: { actorId: 'c1' } });
  });

  it('opens the system\'s order for 一级 and 二级, which a counsellor cannot discard, and asks supervisors to confirm the centre', () => {
    for (const grade of [1, 2] as const) {
      expect(make({ grade, area: null })).toMatchObject({
        ok: true, state: { automatic: true, grade, proposedCentreId: 'gd' }, record: { actorId: 'system', actorRole: 'system' },
        commands: [{ type: 'notify-supervisors', reason: 'confirm-dispatch' }],
      });
    }
    // Also when the counsellor ticked the box: the grade makes it the system's.
    expect(make({ grade: 1, orderRequested: true })).toMatchObject({ state: { automatic: true }, record: { actorRole: 'system' } });
  });
});
