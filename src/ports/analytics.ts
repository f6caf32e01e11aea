/**
 * Analytics (统计分析): aggregations over calls, cases, work orders and follow-ups. Every figure
 * is a count or a rate over groups: no numbers, names or free text ever come out of this port.
 */
import type { AnalyticsFilter } from '../domain/analytics/filter.ts';

export type { AnalyticsFilter };

export interface AnswerFigures {
  /** `YYYY-MM-DD` (by day) or `YYYY-MM` (by month). */
  period: string;
  offered: number;
  answered: number;
  /** Answered within the service-level threshold. */
  answeredWithin: number;
  abandoned: number;
  callbacks: number;
  /** Average wait of answered calls, seconds (0.1 s); null when none answered. */
  averageSpeedOfAnswerSec: number | null;
}

export interface CentreOrderFigures {
  centreId: string | null;
  orders: number;
  /** Accepted, or whose time to accept ran out: the base of the on-time acceptance rate. */
  acceptDue: number;
  acceptedOnTime: number;
  replyDue: number;
  repliedOnTime: number;
  closed: number;
  /** Follow-ups of the order that gave a satisfied / dissatisfied answer. */
  followUpAnswered: number;
  followUpSatisfied: number;
}

export interface FollowUpFigures {
  outcome: string;
  attempts: number;
}

export interface CategoryCount { category: string; calls: number }
export interface GradeCount { grade: number | null; calls: number }
export interface LineCount { line: string; season: string; calls: number }
export interface NumberedCount { n: number; calls: number }
export interface PeriodCount { period: string; calls: number }
export interface AreaCount { city: string | null; county: string | null; calls: number }

export interface AnalyticsQueries {
  /** Calls per category, both levels (a case with two subcategories of one category counts once for it). */
  byCategory(f: AnalyticsFilter): Promise<CategoryCount[]>;
  byGrade(f: AnalyticsFilter): Promise<GradeCount[]>;
  byLine(f: AnalyticsFilter): Promise<LineCount[]>;
  /** Hour of day 0–23. */
  byHour(f: AnalyticsFilter): Promise<NumberedCount[]>;
  /** ISO weekday, 1 Monday … 7 Sunday. */
  byWeekday(f: AnalyticsFilter): Promise<NumberedCount[]>;
  byDay(f: AnalyticsFilter): Promise<PeriodCount[]>;
  byMonth(f: AnalyticsFilter): Promise<PeriodCount[]>;
  byArea(f: AnalyticsFilter): Promise<AreaCount[]>;
  answerFigures(f: AnalyticsFilter, period: 'day' | 'month', serviceLevelSeconds: number): Promise<AnswerFigures[]>;
  ordersByCentre(f: AnalyticsFilter): Promise<CentreOrderFigures[]>;
  followUps(f: AnalyticsFilter): Promise<FollowUpFigures[]>;
}

/** What the refresh of the fact tables needs to know from config and the roster. */
export interface AnalyticsContext {
  timeZone: string;
  /** The threshold of the service level (answered within N seconds); rollups count with it. */
  serviceLevelSeconds: number;
  /** Team of each counsellor (the team of an answered call). */
  counsellorTeams: Record<string, string>;
  /** Team of each line's queue (the team of a call nobody answered). */
  lineTeams: Record<string, string>;
  /** Season windows in wall time, `YYYY-MM-DDTHH:mm`. */
  seasons: Array<{ name: string; from: string; to: string }>;
}

export interface Analytics extends AnalyticsQueries {
  /** Brings the fact tables up to date with calls, cases, orders and follow-ups changed since last time. */
  refresh(ctx: AnalyticsContext, now: Date): Promise<void>;
  /** Rebuilds the fact tables from scratch (after a long database outage replayed old writes). */
  rebuild(ctx: AnalyticsContext, now: Date): Promise<void>;
}
