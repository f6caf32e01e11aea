/** Analytics (统计分析): the tables the page draws and the exports carry. Counts only, no personal data. */

export const ANALYTICS_TABLES = ['category', 'grade', 'line', 'hour', 'weekday', 'day', 'month', 'area', 'answer', 'centres', 'follow-ups'] as const;
export type AnalyticsTableId = (typeof ANALYTICS_TABLES)[number];

/**
 * label: a group's name; count: a number of people (calls, orders, attempts), shown as "<5" in
 * exports when 1–4; rate (0–1) and seconds: figures over the count column named by `base`,
 * hidden in exports when that base is 1–4.
 */
export type AnalyticsColumnKind = 'label' | 'count' | 'rate' | 'seconds';

export interface AnalyticsColumn {
  key: string;
  label: string;
  kind: AnalyticsColumnKind;
  base?: string;
}

export type AnalyticsCell = string | number | null;

export interface AnalyticsTable {
  id: AnalyticsTableId;
  title: string;
  columns: AnalyticsColumn[];
  /** One array per row, in the order of `columns`. */
  rows: AnalyticsCell[][];
}

/** The filter as the API takes it (query parameters). Days are calendar days in Asia/Shanghai. */
export interface AnalyticsQuery {
  from?: string;
  to?: string;
  line?: string;
  team?: string;
  category?: string;
  grade?: string;
  /** Answer figures per `day` (default) or per `month`. */
  period?: 'day' | 'month';
}

export interface AnalyticsFilterEcho {
  from: string;
  to: string;
  line: string | null;
  team: string | null;
  category: string | null;
  grade: number | null;
  period: 'day' | 'month';
}

export interface AnalyticsResponse {
  filter: AnalyticsFilterEcho;
  serviceLevelSeconds: number;
  tables: AnalyticsTable[];
}

export interface AnalyticsOption {
  value: string;
  label: string;
}

/** What the filters offer. */
export interface AnalyticsOptionsResponse {
  lines: AnalyticsOption[];
  teams: AnalyticsOption[];
  /** Both levels; a subcategory's label is prefixed with its category's. */
  categories: AnalyticsOption[];
  grades: AnalyticsOption[];
  today: string;
}
