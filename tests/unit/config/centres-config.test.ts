import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCasesConfig } from '../../../src/config/cases-config.ts';
import type { z } from 'zod';
import { loadCentresConfig, parseCentresConfig, type CentresConfigSchema } from '../../../src/config/centres-config.ts';
import { ConfigError } from '../../../src/config/config-error.ts';
import { caseRules, centreOfStaff, centreProfiles, deadlineRules, isKnownArea, orderContext } from '../../../src/config/work-order-setup.ts';
import { checkCaseForm } from '../../../src/domain/cases/case-form.ts';
import { proposeCentre } from '../../../src/domain/work-orders/centre-proposal.ts';
import { planDeadline } from '../../../src/domain/work-orders/deadlines.ts';

const CONFIG = join(import.meta.dirname, '../../../config');
const cases = loadCasesConfig(join(CONFIG, 'cases.yaml'));
const centres = loadCentresConfig(join(CONFIG, 'centres.yaml'), cases);
type Raw = z.input<typeof CentresConfigSchema>;
const raw = () => parse(readFileSync(join(CONFIG, 'centres.yaml'), 'utf8')) as Raw;

function settingOf(mutate: (r: Raw) => void): string {
  const r = raw();
  mutate(r);
  try {
    parseCentresConfig(r, cases);
  } catch (err) {
    if (err instanceof ConfigError) return err.setting;
    throw err;
  }
  return 'accepted';
}

describe('config/centres.yaml', () => {
  it('holds a demo directory across Guangdong with a province-level centre', () => {
    expect(centres.centres.length).toBeGreaterThanOrEqual(12);
    expect(centres.centres.filter((c) => c.level === 'province').map((c) => c.id)).toEqual(['gd-province']);
    expect(new Set(centres.centres.map((c) => c.city))).toEqual(new Set([null, '广州市', '深圳市', '佛山市', '东莞市', '汕头市']));
    expect(centreOfStaff(centres, 'gz-tianhe-01')).toBe('gz-tianhe');
    expect(centreOfStaff(centres, 'nobody')).toBeNull();
  });

  it.each([
    ['an unknown category', (r: Raw) => { r.centres[2]!.categories.push('astrology'); }, 'centres.2.categories.5'],
    ['a county that is not in its city', (r: Raw) => { r.centres[2]!.county = '南山区'; }, 'centres.2.county'],
    ['a city not in the areas', (r: Raw) => { r.centres[1]!.city = '长沙市'; }, 'centres.1.city'],
    ['a county centre without its county', (r: Raw) => { delete r.centres[2]!.county; }, 'centres.2.county'],
    ['a province centre with a city', (r: Raw) => { r.centres[0]!.city = '广州市'; }, 'centres.0.city'],
    ['the same staff account in two centres', (r: Raw) => { r.centres[3]!.staff.push('gz-tianhe-01'); }, 'centres.3.staff.1'],
    ['a duplicate centre id', (r: Raw) => { r.centres[4]!.id = 'gz-city'; }, 'centres.4.id'],
    ['no province-level centre', (r: Raw) => { r.centres.shift(); }, 'centres'],
    ['a centre without staff', (r: Raw) => { r.centres[5]!.staff = []; }, 'centres.5.staff'],
  ])('refuses %s, naming the setting', (_name, mutate, setting) => {
    expect(settingOf(mutate)).toBe(setting);
  });
});

describe('the shipped configs, put together', () => {
  const profiles = centreProfiles(centres);
  const propose = (city: string | null, county: string | null, categories: string[]) =>
    proposeCentre(profiles, city ? { city, county } : null, categories).centreId;

  it('proposes the local centre that handles the case, else the city, else the province', () => {
    expect(propose('广州市', '天河区', ['legal/bullying'])).toBe('gz-tianhe');
    expect(propose('佛山市', '顺德区', ['mental-health/anxiety'])).toBe('fs-shunde');
    expect(propose('佛山市', '顺德区', ['mental-health/self-harm'])).toBe('fs-city');
    expect(propose('汕头市', '潮阳区', ['employment'])).toBe('gd-province');
    expect(propose('梅州市', '梅江区', ['family'])).toBe('gd-province');
    expect(propose(null, null, ['other'])).toBe('gd-province');
  });

  it('counts deadlines in each centre\'s working time, over the 2026 National Day holiday', () => {
    const rules = deadlineRules(cases, centres);
    const from = new Date('2026-09-30T12:00:00Z'); // Wednesday 20:00 in Shanghai, after hours
    expect(planDeadline(rules, 'reply', 3, 'gz-tianhe', from).dueAt).toBe('2026-10-10T09:30:00.000Z'); // Oct 8, 9 and the make-up Saturday, to 17:30
    expect(planDeadline(rules, 'accept', 2, 'sz-city', from).dueAt).toBe('2026-10-08T02:30:00.000Z'); // its own hours: 08:30 + 2 h
    expect(planDeadline(rules, 'accept', 2, 'gd-province', from).dueAt).toBe('2026-09-30T14:00:00.000Z'); // the duty desk never closes
    expect(orderContext(cases, centres).centreExists('gz-yuexiu')).toBe(true);
    expect(orderContext(cases, centres).centreExists('gz-baiyun')).toBe(false);
  });

  it('checks a wrap-up form against the shipped categories and areas', () => {
    const form = {
      categories: ['legal/bullying'], grade: 2 as const, summary: '在校遭受言语攻击', area: { city: '广州市', county: '白云区' },
      consent: { followUpCall: true, centreContact: true },
    };
    expect(checkCaseForm(form, caseRules(cases, { escalated: false, emergencyKey: true }))).toMatchObject({ ok: true, orderRequired: true });
    expect(isKnownArea(cases)({ city: '东莞市', county: null })).toBe(true);
    expect(isKnownArea(cases)({ city: '东莞市', county: '虎门镇' })).toBe(false);
  });
});
