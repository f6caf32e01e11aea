import type pg from 'pg';
import { beforeEach, expect, it } from 'vitest';
import type { Analytics, AnalyticsContext, AnalyticsFilter } from '../../src/ports/analytics.ts';

/**
 * The analytics aggregations on known history, with exact expected numbers. Days are calendar
 * days in Asia/Shanghai: a call at 07:00 there is on the previous UTC date. `make` gives an empty
 * database with migrations applied.
 */

const ctx: AnalyticsContext = {
  timeZone: 'Asia/Shanghai',
  serviceLevelSeconds: 20,
  counsellorTeams: { c1: 'gz', c2: 'sz' },
  lineTeams: { main: 'province', exam: 'province' },
  seasons: [{ name: 'exam', from: '2026-05-20T00:00', to: '2026-06-30T00:00' }],
};
/** Local (Shanghai) wall time to a UTC instant. */
const local = (wall: string) => new Date(`${wall}:00+08:00`).toISOString();
const NOW = new Date(local('2026-06-15T12:00'));
const ALL: AnalyticsFilter = { from: '2026-03-01', to: '2026-06-30' };

interface Call { id: string; line: string; at: string; counsellor?: string; events?: Array<[string, number | null]> }
interface Case { call: string; kind: 'counselled' | 'unanswered'; grade?: number; categories?: string[]; city?: string; county?: string }

async function seed(db: pg.Pool): Promise<void> {
  const calls: Call[] = [
    { id: 'k1', line: 'main', at: '2026-03-02T08:30', counsellor: 'c1', events: [['enter', null], ['connect', 10_000]] },
    { id: 'k2', line: 'main', at: '2026-03-02T07:00', counsellor: 'c2', events: [['enter', null], ['connect', 30_000]] },
    { id: 'k3', line: 'exam', at: '2026-05-25T10:00', events: [['enter', null], ['abandon', 61_000]] },
    // Re-queued after an escalation: entered twice, one offer; its first answer counts.
    { id: 'k4', line: 'main', at: '2026-03-03T12:00', counsellor: 'c1', events: [['enter', null], ['connect', 5_000], ['enter', null], ['connect', 40_000]] },
    { id: 'k5', line: 'main', at: '2026-03-03T12:30' }, // hung up in the menus
    { id: 'k6', line: 'main', at: '2026-04-10T09:00', events: [['enter', null], ['callback-requested', null]] },
  ];
  for (const c of calls) {
    await db.query('INSERT INTO calls (call_id, line, caller_number, started_at, counsellor_id) VALUES ($1, $2, $3, $4, $5)', [c.id, c.line, '13800138000', local(c.at), c.counsellor ?? null]);
    for (const [i, [type, waitMs]] of (c.events ?? []).entries()) {
      await db.query('INSERT INTO queue_events (at, type, call_id, data) VALUES ($1, $2, $3, $4)',
        [new Date(Date.parse(local(c.at)) + (i + 1) * 1000).toISOString(), type, c.id, JSON.stringify(waitMs === null ? {} : { waitMs })]);
    }
  }
  const cases: Case[] = [
    { call: 'k1', kind: 'counselled', grade: 2, categories: ['mental-health/depression', 'mental-health/anxiety'], city: '广州市', county: '天河区' },
    { call: 'k2', kind: 'counselled', grade: 3, categories: ['romance'], city: '广州市', county: '越秀区' },
    { call: 'k3', kind: 'unanswered' },
    { call: 'k4', kind: 'counselled', grade: 1, categories: ['mental-health/self-harm'] },
    { call: 'k6', kind: 'unanswered' },
  ];
  for (const k of cases) {
    const at = local(calls.find((c) => c.id === k.call)!.at);
    await db.query(
      `INSERT INTO cases (id, call_id, idempotency_key, kind, status, categories, grade, summary, city, county, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'saved', $5, $6, '不应出现在统计中', $7, $8, $9, $9)`,
      [`case-${k.call}`, k.call, `key-${k.call}`, k.kind, k.categories ?? [], k.grade ?? null, k.city ?? null, k.county ?? null, at],
    );
  }
  const orders: Array<{ id: string; call: string; status: string; centre: string | null; overdue: [number, number]; events: string[]; followUp?: string }> = [
    { id: 'o1', call: 'k1', status: 'closed', centre: 'gz-tianhe', overdue: [0, 0], events: ['dispatch', 'accept', 'reply', 'approve-reply', 'record-follow-up'], followUp: 'resolved' },
    { id: 'o2', call: 'k4', status: 'accepted', centre: 'gz-tianhe', overdue: [1, 1], events: ['dispatch', 'accept'] },
    { id: 'o3', call: 'k2', status: 'dispatched', centre: 'gz-yuexiu', overdue: [0, 0], events: ['dispatch'] },
    { id: 'o4', call: 'k2', status: 'draft', centre: null, overdue: [0, 0], events: [] },
  ];
  for (const o of orders) {
    const at = local(calls.find((c) => c.id === o.call)!.at);
    const grade = cases.find((k) => k.call === o.call)!.grade!;
    await db.query(
      `INSERT INTO work_orders (id, case_id, status, grade, centre_id, state, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)`,
      [o.id, `case-${o.call}`, o.status, grade, o.centre, JSON.stringify({ status: o.status, grade, centreId: o.centre, overdue: { accept: o.overdue[0], reply: o.overdue[1] } }), at],
    );
    for (const [i, type] of ['create', ...o.events].entries()) {
      await db.query(
        `INSERT INTO work_order_events (order_id, seq, type, actor_id, actor_role, at, to_status, data) VALUES ($1, $2, $3, 'u', 'supervisor', $4, 'x', $5)`,
        [o.id, i + 1, type, at, JSON.stringify(type === 'record-follow-up' ? { outcome: o.followUp } : {})],
      );
    }
  }
  const followUps: Array<[string, string, number, string | null]> = [
    ['f1', 'k1', 1, 'not-reached'], ['f2', 'k1', 2, 'reached-safe'], ['f3', 'k4', 1, 'needs-help'], ['f4', 'k2', 1, null],
  ];
  for (const [id, call, attempt, outcome] of followUps) {
    const at = new Date(Date.parse(local('2026-03-05T10:00')) + attempt * 3600_000).toISOString();
    await db.query(
      'INSERT INTO follow_ups (id, case_id, attempt, due_at, ended_at, outcome, created_at) VALUES ($1, $2, $3, $4, $5, $6, $4)',
      [id, `case-${call}`, attempt, at, outcome ? at : null, outcome],
    );
  }
}

/** The AnalyticsQueries contract on PostgreSQL: exact figures, the same from facts and from rollups. */
export function analyticsContract(make: () => Promise<{ db: pg.Pool; analytics: Analytics }>): void {
  let db: pg.Pool;
  let analytics: Analytics;
  beforeEach(async () => {
    ({ db, analytics } = await make());
    await seed(db);
    await analytics.refresh(ctx, NOW);
  });

  it('counts calls by calendar day, hour, weekday and month in Asia/Shanghai', async () => {
    expect(await analytics.byDay(ALL)).toEqual([
      { period: '2026-03-02', calls: 2 }, { period: '2026-03-03', calls: 2 }, { period: '2026-04-10', calls: 1 }, { period: '2026-05-25', calls: 1 },
    ]);
    expect(await analytics.byHour(ALL)).toEqual([{ n: 7, calls: 1 }, { n: 8, calls: 1 }, { n: 9, calls: 1 }, { n: 10, calls: 1 }, { n: 12, calls: 2 }]);
    expect(await analytics.byWeekday(ALL)).toEqual([{ n: 1, calls: 3 }, { n: 2, calls: 2 }, { n: 5, calls: 1 }]);
    expect(await analytics.byMonth(ALL)).toEqual([{ period: '2026-03', calls: 4 }, { period: '2026-04', calls: 1 }, { period: '2026-05', calls: 1 }]);
    // 07:00 on 2 March in Shanghai is 1 March in UTC: still 2 March here.
    expect(await analytics.byDay({ from: '2026-03-01', to: '2026-03-01' })).toEqual([]);
  });

  it('counts calls by line and season, grade, category (both levels, once each) and area', async () => {
    expect(await analytics.byLine(ALL)).toEqual([{ line: 'exam', season: 'exam', calls: 1 }, { line: 'main', season: '', calls: 5 }]);
    expect(await analytics.byGrade(ALL)).toEqual([{ grade: 1, calls: 1 }, { grade: 2, calls: 1 }, { grade: 3, calls: 1 }, { grade: null, calls: 3 }]);
    expect(await analytics.byCategory(ALL)).toEqual([
      { category: 'mental-health', calls: 2 }, { category: 'mental-health/anxiety', calls: 1 }, { category: 'mental-health/depression', calls: 1 },
      { category: 'mental-health/self-harm', calls: 1 }, { category: 'romance', calls: 1 },
    ]);
    expect(await analytics.byArea(ALL)).toEqual([
      { city: '广州市', county: '天河区', calls: 1 }, { city: '广州市', county: '越秀区', calls: 1 }, { city: null, county: null, calls: 4 },
    ]);
  });

  it('computes answer figures once per caller: a re-queued caller is one offer, answered at its first wait', async () => {
    expect(await analytics.answerFigures(ALL, 'month', 20)).toEqual([
      { period: '2026-03', offered: 3, answered: 3, answeredWithin: 2, abandoned: 0, callbacks: 0, averageSpeedOfAnswerSec: 15 },
      { period: '2026-04', offered: 1, answered: 0, answeredWithin: 0, abandoned: 0, callbacks: 1, averageSpeedOfAnswerSec: null },
      { period: '2026-05', offered: 1, answered: 0, answeredWithin: 0, abandoned: 1, callbacks: 0, averageSpeedOfAnswerSec: null },
    ]);
    expect(await analytics.answerFigures({ from: '2026-03-03', to: '2026-03-03' }, 'day', 20)).toEqual([
      { period: '2026-03-03', offered: 1, answered: 1, answeredWithin: 1, abandoned: 0, callbacks: 0, averageSpeedOfAnswerSec: 5 },
    ]);
  });

  it('counts work orders by centre with on-time acceptance, reply, closure and follow-up satisfaction', async () => {
    expect(await analytics.ordersByCentre(ALL)).toEqual([
      { centreId: 'gz-tianhe', orders: 2, acceptDue: 2, acceptedOnTime: 1, replyDue: 2, repliedOnTime: 1, closed: 1, followUpAnswered: 1, followUpSatisfied: 1 },
      { centreId: 'gz-yuexiu', orders: 1, acceptDue: 0, acceptedOnTime: 0, replyDue: 0, repliedOnTime: 0, closed: 0, followUpAnswered: 0, followUpSatisfied: 0 },
    ]);
  });

  it('counts follow-up attempts by outcome, pending ones not', async () => {
    expect(await analytics.followUps(ALL)).toEqual([{ outcome: 'needs-help', attempts: 1 }, { outcome: 'not-reached', attempts: 1 }, { outcome: 'reached-safe', attempts: 1 }]);
  });

  it('applies the line, team, category and grade filters', async () => {
    expect(await analytics.byDay({ ...ALL, line: 'exam' })).toEqual([{ period: '2026-05-25', calls: 1 }]);
    expect(await analytics.byDay({ ...ALL, team: 'gz' })).toEqual([{ period: '2026-03-02', calls: 1 }, { period: '2026-03-03', calls: 1 }]);
    // A call nobody answered belongs to its line's queue team.
    expect(await analytics.byMonth({ ...ALL, team: 'province' })).toEqual([{ period: '2026-03', calls: 1 }, { period: '2026-04', calls: 1 }, { period: '2026-05', calls: 1 }]);
    expect(await analytics.byCategory({ ...ALL, category: 'mental-health' })).toEqual([
      { category: 'mental-health', calls: 2 }, { category: 'mental-health/anxiety', calls: 1 }, { category: 'mental-health/depression', calls: 1 },
      { category: 'mental-health/self-harm', calls: 1 },
    ]);
    expect(await analytics.byHour({ ...ALL, category: 'mental-health/self-harm' })).toEqual([{ n: 12, calls: 1 }]);
    expect(await analytics.byArea({ ...ALL, grade: 3 })).toEqual([{ city: '广州市', county: '越秀区', calls: 1 }]);
    expect(await analytics.ordersByCentre({ ...ALL, grade: 1 })).toEqual([
      { centreId: 'gz-tianhe', orders: 1, acceptDue: 1, acceptedOnTime: 0, replyDue: 1, repliedOnTime: 0, closed: 0, followUpAnswered: 0, followUpSatisfied: 0 },
    ]);
    expect(await analytics.followUps({ ...ALL, team: 'gz', grade: 2 })).toEqual([{ outcome: 'not-reached', attempts: 1 }, { outcome: 'reached-safe', attempts: 1 }]);
  });

  it('gives the same figures from the monthly rollups as from the facts (ranges cutting months)', async () => {
    // 2 March to 9 April: March from the facts (not whole), nothing rolled up for April either.
    expect(await analytics.byHour({ from: '2026-03-02', to: '2026-04-09' })).toEqual([{ n: 7, calls: 1 }, { n: 8, calls: 1 }, { n: 12, calls: 2 }]);
    expect(await analytics.byHour({ from: '2026-03-01', to: '2026-04-30' })).toEqual([{ n: 7, calls: 1 }, { n: 8, calls: 1 }, { n: 9, calls: 1 }, { n: 12, calls: 2 }]);
    // Categories of the days outside whole months come from their daily rollup.
    expect(await analytics.byCategory({ from: '2026-03-02', to: '2026-03-02', category: 'mental-health' })).toEqual([
      { category: 'mental-health', calls: 1 }, { category: 'mental-health/anxiety', calls: 1 }, { category: 'mental-health/depression', calls: 1 },
    ]);
    expect(await analytics.byCategory({ from: '2026-03-02', to: '2026-05-31', grade: 1 })).toEqual([
      { category: 'mental-health', calls: 1 }, { category: 'mental-health/self-harm', calls: 1 },
    ]);
    expect((await db.query("SELECT to_char(month, 'YYYY-MM') AS m FROM analytics_rolled_months ORDER BY 1")).rows.map((r: { m: string }) => r.m)).toEqual(['2026-03', '2026-04', '2026-05']);
  });

  it('takes in what changed since the last refresh, in rolled-up months too', async () => {
    const later = new Date(NOW.getTime() + 60_000);
    await db.query("UPDATE cases SET grade = 1, updated_at = $1 WHERE call_id = 'k2'", [later.toISOString()]);
    await db.query("INSERT INTO calls (call_id, line, started_at) VALUES ('k7', 'main', $1)", [local('2026-06-15T11:00')]);
    await analytics.refresh(ctx, later);
    expect(await analytics.byGrade(ALL)).toEqual([{ grade: 1, calls: 2 }, { grade: 2, calls: 1 }, { grade: null, calls: 4 }]);
    expect(await analytics.byHour({ from: '2026-03-01', to: '2026-03-31', grade: 1 })).toEqual([{ n: 7, calls: 1 }, { n: 12, calls: 1 }]);
    expect(await analytics.byMonth(ALL)).toEqual([{ period: '2026-03', calls: 4 }, { period: '2026-04', calls: 1 }, { period: '2026-05', calls: 1 }, { period: '2026-06', calls: 1 }]);
    await analytics.rebuild(ctx, later);
    expect(await analytics.byGrade(ALL)).toEqual([{ grade: 1, calls: 2 }, { grade: 2, calls: 1 }, { grade: null, calls: 4 }]);
  });

  it('never selects a number, name or free text', async () => {
    const all = JSON.stringify(await Promise.all([
      analytics.byCategory(ALL), analytics.byGrade(ALL), analytics.byLine(ALL), analytics.byHour(ALL), analytics.byWeekday(ALL),
      analytics.byDay(ALL), analytics.byMonth(ALL), analytics.byArea(ALL), analytics.answerFigures(ALL, 'day', 20),
      analytics.ordersByCentre(ALL), analytics.followUps(ALL),
    ]));
    expect(all).not.toContain('13800138000');
    expect(all).not.toContain('不应出现');
    expect(all).not.toMatch(/"k\d"|case-k|"c1"/);
  });
}
