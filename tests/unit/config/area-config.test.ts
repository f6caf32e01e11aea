import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readChinaGeocodes } from '../../../src/adapters/phone-areas/phone-area-data.ts';
import { buildAreaTable, checkRosterTeams, citiesOf } from '../../../src/config/area-config.ts';
import { parseHotlineConfig, readHotlineConfig } from '../../../src/config/hotline-config.ts';
import { loadRoster } from '../../../src/config/roster.ts';
import { findCallerArea } from '../../../src/domain/routing/caller-area.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const shipped = readHotlineConfig(resolve(ROOT, 'config/hotline.yaml'));
const raw = (over: Record<string, unknown>) => ({ ...JSON.parse(JSON.stringify(shipped)), ...over }) as Record<string, unknown>;
const teams = shipped.areas.teams;

describe('areas config: validated at start', () => {
  it('refuses a line team, fallback team or mobile segment naming an unknown team', () => {
    expect(() => parseHotlineConfig(raw({ queue: { ...shipped.queue, lineTeams: { main: 'shenzen' } } }))).toThrow(/queue\.lineTeams\.main: unknown team "shenzen"/);
    expect(() => parseHotlineConfig(raw({ areas: { ...shipped.areas, fallbackTeam: 'nowhere' } }))).toThrow(/areas\.fallbackTeam: unknown team "nowhere"/);
    expect(() => parseHotlineConfig(raw({ areas: { ...shipped.areas, mobileSegments: { '1380000': 'beijing' } } }))).toThrow(/areas\.mobileSegments\.1380000/);
  });

  it('refuses a line team for a line that does not exist, an area code twice, and an unquoted area code', () => {
    expect(() => parseHotlineConfig(raw({ queue: { ...shipped.queue, lineTeams: { hotline: 'shenzhen' } } }))).toThrow(/unknown line "hotline"/);
    const twice = { ...teams, foshan: { ...teams.foshan!, areaCodes: ['0757', '0755'] } };
    expect(() => parseHotlineConfig(raw({ areas: { ...shipped.areas, teams: twice } }))).toThrow(/0755 is already shenzhen's/);
    const unquoted = { ...teams, shenzhen: { ...teams.shenzhen!, areaCodes: [755] } };
    expect(() => parseHotlineConfig(raw({ areas: { ...shipped.areas, teams: unquoted } }))).toThrow(/areas\.teams\.shenzhen\.areaCodes/);
  });

  it('accepts a config without areas: no teams listed, nothing to check', () => {
    const { areas: _areas, ...rest } = raw({});
    const config = parseHotlineConfig(rest);
    expect(config.areas).toMatchObject({ teams: {}, fallbackTeam: null, mobileDataSet: true });
    expect(() => checkRosterTeams(config.areas, [{ id: 'c1', team: 'anything' }])).not.toThrow();
  });

  it('refuses a roster whose counsellor is in no listed team; the demo roster passes', () => {
    expect(() => checkRosterTeams(shipped.areas, [{ id: 'c9', team: 'beijing' }], 'roster.yaml')).toThrow(/roster\.yaml: c9\.team: unknown team "beijing"/);
    const roster = loadRoster(resolve(ROOT, 'config/roster.demo.yaml'));
    expect(() => checkRosterTeams(shipped.areas, [...roster.counsellors, ...roster.staff])).not.toThrow();
    // The demo widens: a local city team, another city team and the province's own.
    expect(new Set(roster.counsellors.map((c) => c.team))).toEqual(new Set(['guangzhou', 'shenzhen', 'province']));
  });
});

describe('the area table', () => {
  it('reads city names out of the data set\'s descriptions, in the province only', () => {
    expect(citiesOf('广东省佛山市、顺德市', '广东省')).toEqual(['佛山', '顺德']);
    expect(citiesOf('广东省深圳市', '广东省')).toEqual(['深圳']);
    expect(citiesOf('北京市', '广东省')).toEqual([]);
  });

  it('maps data-set prefixes of a team\'s cities to it; configured codes and segments win', () => {
    const data: Array<[string, string]> = [['1351000', '广东省深圳市'], ['1351001', '广东省深圳市'], ['1380000', '北京市'], ['757', '广东省佛山市、顺德市']];
    const config = { ...shipped, areas: { ...shipped.areas, mobileSegments: { '135100': 'foshan' } } };
    const t = buildAreaTable(config, data);
    expect(t.prefixes.get('135100')).toBe('foshan');
    expect(t.prefixes.has('1351000')).toBe(false);
    expect(t.prefixes.has('1380000')).toBe(false);
    expect(t.prefixes.get('757')).toBe('foshan');
    expect(t.prefixes.get('755')).toBe('shenzhen');
    expect(t.hotlineNumbers).toEqual(['12355', '123550']);
  });
});

describe('the shipped data set with the shipped config', () => {
  const data = readChinaGeocodes();
  const table = buildAreaTable(shipped, data);

  it('holds China\'s prefixes, Guangdong\'s among them', () => {
    expect(data.length).toBeGreaterThan(100_000);
    expect(data.filter(([, d]) => d.startsWith('广东省')).length).toBeGreaterThan(10_000);
  });

  it('agrees with every configured area code, and gives every team with cities mobile segments', () => {
    const byPrefix = new Map(data);
    for (const [id, t] of Object.entries(teams)) {
      for (const code of t.areaCodes) {
        const cities = citiesOf(byPrefix.get(code.slice(1)) ?? '', shipped.areas.province);
        expect(cities.some((c) => t.cities.includes(c)), `${id} ${code}: the data set says ${byPrefix.get(code.slice(1))}`).toBe(true);
      }
      const segments = [...table.prefixes].filter(([p, team]) => team === id && p.startsWith('1')).length;
      if (t.cities.length > 0) expect(segments, `${id}'s mobile segments`).toBeGreaterThan(100);
    }
  });

  it('finds the home area of Guangzhou and Shenzhen mobile numbers, and none for a Beijing one', () => {
    const area = (callerNumber: string) => findCallerArea({ callerNumber, dialled: '12355', carrierCalled: [], line: 'main' }, table);
    expect(area('13510001234')).toEqual({ team: 'shenzhen', source: 'caller-number' });
    expect(area('+8613924001234')).toEqual({ team: 'guangzhou', source: 'caller-number' });
    expect(area('13800000251')).toEqual({ team: null, source: 'province' });
  });
});
