import type { Analytics } from '../../src/ports/analytics.ts';

/**
 * Analytics over no history (the in-memory hotline keeps no cases or orders): every aggregation
 * is empty; refreshes are counted. The real aggregations are tested on PostgreSQL
 * (tests/contract/analytics.contract.ts).
 */
export class EmptyAnalytics implements Analytics {
  refreshes = 0;
  async refresh(): Promise<void> {
    this.refreshes += 1;
  }
  async rebuild(): Promise<void> {
    this.refreshes += 1;
  }
  byCategory = async () => [];
  byGrade = async () => [];
  byLine = async () => [];
  byHour = async () => [];
  byWeekday = async () => [];
  byDay = async () => [];
  byMonth = async () => [];
  byArea = async () => [];
  answerFigures = async () => [];
  ordersByCentre = async () => [];
  followUps = async () => [];
}
