import { describe, expect, it } from 'vitest';
import { proposeCentre, type CentreProfile } from '../../../src/domain/work-orders/centre-proposal.ts';

const centres: CentreProfile[] = [
  { id: 'gd', level: 'province', city: null, county: null, categories: ['*'] },
  { id: 'gz', level: 'city', city: '广州市', county: null, categories: ['mental-health', 'family', 'legal'] },
  { id: 'gz-tianhe', level: 'county', city: '广州市', county: '天河区', categories: ['mental-health', 'interpersonal/peers'] },
  { id: 'gz-yuexiu', level: 'county', city: '广州市', county: '越秀区', categories: ['legal'] },
  { id: 'fs-b', level: 'city', city: '佛山市', county: null, categories: ['study'] },
  { id: 'fs-a', level: 'city', city: '佛山市', county: null, categories: ['study'] },
];

const proposal = (area: { city: string; county: string | null } | null, categories: string[]) => proposeCentre(centres, area, categories).centreId;

describe('proposing a centre', () => {
  it('prefers the caller\'s county, then their city, then the province', () => {
    expect(proposal({ city: '广州市', county: '天河区' }, ['mental-health/self-harm'])).toBe('gz-tianhe');
    expect(proposal({ city: '广州市', county: '越秀区' }, ['mental-health/self-harm'])).toBe('gz');
    expect(proposal({ city: '广州市', county: null }, ['mental-health/anxiety'])).toBe('gz');
    expect(proposal({ city: '深圳市', county: '南山区' }, ['mental-health/anxiety'])).toBe('gd');
    expect(proposal(null, ['legal/bullying'])).toBe('gd');
  });

  it('skips centres that handle none of the categories, and matches leaves, whole categories and *', () => {
    expect(proposal({ city: '广州市', county: '天河区' }, ['legal/bullying'])).toBe('gz');
    expect(proposal({ city: '广州市', county: '天河区' }, ['interpersonal/peers'])).toBe('gz-tianhe');
    expect(proposal({ city: '广州市', county: '天河区' }, ['interpersonal/parents'])).toBe('gd');
  });

  it('within a level, prefers the centre covering more categories, then the smaller id', () => {
    const both = proposeCentre(centres, { city: '广州市', county: '天河区' }, ['mental-health/depression', 'interpersonal/peers', 'legal/bullying']);
    expect(both.candidates).toEqual([
      { centreId: 'gz-tianhe', distance: 0, covered: 2 },
      { centreId: 'gz', distance: 1, covered: 2 },
      { centreId: 'gd', distance: 2, covered: 3 },
    ]);
    expect(proposal({ city: '佛山市', county: '顺德区' }, ['study/exams'])).toBe('fs-a');
    expect(proposeCentre([...centres].reverse(), { city: '佛山市', county: null }, ['study/exams']).centreId).toBe('fs-a');
  });

  it('sends a case without categories to the nearest centre, and proposes nothing when nobody is in reach', () => {
    expect(proposal({ city: '广州市', county: '越秀区' }, [])).toBe('gz-yuexiu');
    expect(proposeCentre(centres.filter((c) => c.level !== 'province'), { city: '汕头市', county: null }, ['family'])).toEqual({ centreId: null, candidates: [] });
  });
});
