import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  areaCodeOf,
  findCallerArea,
  localHotlineNumber,
  nationalNumber,
  type AreaTable,
  type CallOrigin,
} from '../../../src/domain/routing/caller-area.ts';

/** Guangdong's prefix-area codes as the demo config lists them, and two mobile segments. */
const AREA_CODES: Record<string, string> = {
  '020': 'guangzhou', '0755': 'shenzhen', '0757': 'foshan', '0769': 'dongguan', '0756': 'zhuhai',
  '0752': 'huizhou', '0760': 'zhongshan', '0750': 'jiangmen', '0754': 'shantou', '0759': 'zhanjiang',
};
const SEGMENTS: Record<string, string> = { '1351000': 'shenzhen', '1392400': 'guangzhou', '135': 'foshan' };

const table: AreaTable = {
  prefixes: new Map([...Object.entries(AREA_CODES).map(([code, team]) => [code.slice(1), team] as const), ...Object.entries(SEGMENTS)]),
  hotlineNumbers: ['12355', '123550'],
  lineTeams: { exam: 'province' },
  fallbackTeam: null,
};

const origin = (over: Partial<CallOrigin> = {}): CallOrigin => ({ callerNumber: '13800000000', dialled: '12355', carrierCalled: [], line: 'main', ...over });

describe('nationalNumber', () => {
  it.each([
    ['13510000000', '13510000000'],
    ['+8613510000000', '13510000000'],
    ['008613510000000', '13510000000'],
    ['8613510000000', '13510000000'],
    ['075526880000', '75526880000'],
    ['+86 755 2688 0000', '75526880000'],
    ['020-83331234', '2083331234'],
    ['02012355', '2012355'],
    ['12355', '12355'],
    ['', ''],
    ['anonymous', ''],
  ])('%s → %s', (raw, national) => {
    expect(nationalNumber(raw)).toBe(national);
  });
});

describe('areaCodeOf', () => {
  it('takes 2 digits for 10 and 20-29, else 3, and none for mobiles or short numbers', () => {
    expect(areaCodeOf('2083331234')).toBe('20');
    expect(areaCodeOf('1062345678')).toBe('10');
    expect(areaCodeOf('75526880000')).toBe('755');
    expect(areaCodeOf('7692345678')).toBe('769');
    expect(areaCodeOf('13510000000')).toBeNull();
    expect(areaCodeOf('12355')).toBeNull();
  });
});

describe('findCallerArea: every configured area code', () => {
  for (const [code, team] of Object.entries(AREA_CODES)) {
    it(`${code} → ${team}, from a fixed line, the dialled number and a carrier header`, () => {
      expect(findCallerArea(origin({ callerNumber: `${code}26880000` }), table)).toEqual({ team, source: 'caller-number', areaCode: code });
      expect(findCallerArea(origin({ callerNumber: `+86${code.slice(1)}26880000` }), table)).toEqual({ team, source: 'caller-number', areaCode: code });
      expect(findCallerArea(origin({ dialled: `${code}12355` }), table)).toEqual({ team, source: 'carrier', areaCode: code });
      expect(findCallerArea(origin({ dialled: `${code}123550` }), table)).toEqual({ team, source: 'carrier', areaCode: code });
      expect(findCallerArea(origin({ carrierCalled: [`${code}12355`] }), table)).toEqual({ team, source: 'carrier', areaCode: code });
      // A header may carry only the area.
      expect(findCallerArea(origin({ carrierCalled: [code] }), table)).toEqual({ team, source: 'carrier', areaCode: code });
      expect(localHotlineNumber(`${code}123550`, table)).toBe('123550');
      expect(localHotlineNumber(`${code}12355`, table)).toBe('12355');
    });
  }
});

describe('findCallerArea: order and fallbacks', () => {
  it('prefers the carrier over the caller\'s own number (a roaming mobile is where the carrier says)', () => {
    expect(findCallerArea(origin({ callerNumber: '13510001234', carrierCalled: ['02012355'] }), table)).toMatchObject({ team: 'guangzhou', source: 'carrier' });
  });

  it('prefers a carrier header over the dialled number', () => {
    expect(findCallerArea(origin({ dialled: '075512355', carrierCalled: ['02012355'] }), table)).toMatchObject({ team: 'guangzhou' });
  });

  it('takes a mobile number\'s home area by its longest known segment, without keeping the segment', () => {
    expect(findCallerArea(origin({ callerNumber: '13510001234' }), table)).toEqual({ team: 'shenzhen', source: 'caller-number' });
    expect(findCallerArea(origin({ callerNumber: '+8613924001234' }), table)).toEqual({ team: 'guangzhou', source: 'caller-number' });
    expect(findCallerArea(origin({ callerNumber: '13599990000' }), table)).toEqual({ team: 'foshan', source: 'caller-number' });
  });

  it('falls back to the line\'s team, then the province', () => {
    expect(findCallerArea(origin({ line: 'exam' }), table)).toEqual({ team: 'province', source: 'line' });
    expect(findCallerArea(origin(), table)).toEqual({ team: null, source: 'province' });
    expect(findCallerArea(origin({ callerNumber: '' }), { ...table, fallbackTeam: 'province' })).toEqual({ team: 'province', source: 'province' });
  });

  it('reads nothing into a hotline number alone, an unknown area code, or a withheld number', () => {
    expect(findCallerArea(origin({ dialled: '12355', carrierCalled: ['123550', ''] }), table).source).toBe('province');
    expect(findCallerArea(origin({ dialled: '01012355' }), table).source).toBe('province');
    expect(findCallerArea(origin({ callerNumber: 'anonymous' }), table).source).toBe('province');
    expect(localHotlineNumber('01012355', table)).toBe('01012355');
    expect(localHotlineNumber('12355', table)).toBe('12355');
  });
});

describe('a mobile segment in the prefix table is never read as an area code', () => {
  // '135' is a mobile segment (Foshan's, in this table), not an area code: found by the property below.
  it('a called number or carrier header of segment digits tells no area', () => {
    expect(findCallerArea(origin({ callerNumber: '', carrierCalled: ['135'] }), table)).toEqual({ team: null, source: 'province' });
    expect(findCallerArea(origin({ callerNumber: '', dialled: '13512355' }), table)).toEqual({ team: null, source: 'province' });
  });

  it('a hotline number after segment digits is not taken for an area-coded hotline number', () => {
    expect(localHotlineNumber('13512355', table)).toBe('13512355');
  });

  it('a fixed-line-looking number starting 1 (not 10) has no area code', () => {
    expect(areaCodeOf('1235512345')).toBeNull();
  });
});

describe('findCallerArea: properties', () => {
  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  const code = fc.constantFrom(...Object.keys(AREA_CODES));

  it('any fixed-line number of a configured area code is that area\'s, however it is written', () => {
    fc.assert(fc.property(code, digits(7, 8).filter((s) => !s.startsWith('0')), fc.constantFrom('', '+86', '0086', '+86 '), (c, local, cc) => {
      const number = cc === '' ? `${c}${local}` : `${cc}${c.slice(1)}${local}`;
      expect(findCallerArea(origin({ callerNumber: number }), table)).toEqual({ team: AREA_CODES[c], source: 'caller-number', areaCode: c });
    }));
  });

  it('any mobile number gets the team of its longest configured segment, or none', () => {
    fc.assert(fc.property(fc.constantFrom('13', '14', '15', '16', '17', '18', '19'), digits(9, 9), (head, rest) => {
      const number = `${head}${rest}`;
      const segment = [7, 6, 5, 4, 3].map((n) => number.slice(0, n)).find((p) => SEGMENTS[p] !== undefined);
      const area = findCallerArea(origin({ callerNumber: number }), table);
      if (segment) expect(area).toEqual({ team: SEGMENTS[segment], source: 'caller-number' });
      else expect(area).toEqual({ team: null, source: 'province' });
    }));
  });

  it('never throws, and always answers with a listed team or the fallback', () => {
    const teams = new Set([...table.prefixes.values(), ...Object.values(table.lineTeams), null]);
    fc.assert(fc.property(fc.string(), fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.constantFrom('main', 'exam', 'other'), (callerNumber, dialled, carrierCalled, line) => {
      const area = findCallerArea({ callerNumber, dialled, carrierCalled, line }, table);
      expect(teams.has(area.team)).toBe(true);
      // An area code, when given, is one of the configured ones (never digits of the caller's mobile).
      if (area.areaCode !== undefined) expect(Object.keys(AREA_CODES)).toContain(area.areaCode);
    }));
  });
});
