/**
 * Small-cell suppression for exports and printed reports: a cell that counts fewer than 5 people
 * (but some) is shown as "<5", and a rate or average over such a count is hidden the same way, so
 * that a published figure can never point at one young person. Pure; shared by server and page.
 */
import type { AnalyticsCell, AnalyticsColumn, AnalyticsTable } from './analytics.ts';

export const SMALL_CELL_LIMIT = 5;
export const SMALL_CELL_TEXT = '<5';

export type ExportCell = string | number;

const isSmall = (v: AnalyticsCell): boolean => typeof v === 'number' && v > 0 && v < SMALL_CELL_LIMIT;

/** One cell as it may be exported: `row` is the cell's row, for the base of rates. */
export function exportCell(column: AnalyticsColumn, value: AnalyticsCell, columns: readonly AnalyticsColumn[], row: readonly AnalyticsCell[]): ExportCell {
  if (value === null) return '';
  if (column.kind === 'count') return isSmall(value) ? SMALL_CELL_TEXT : value;
  if (column.kind === 'rate' || column.kind === 'seconds') {
    const baseAt = column.base === undefined ? -1 : columns.findIndex((c) => c.key === column.base);
    if (baseAt >= 0 && isSmall(row[baseAt] ?? null)) return SMALL_CELL_TEXT;
  }
  return value;
}

/** The table's rows with every small cell suppressed. */
export function suppressSmallCells(table: Pick<AnalyticsTable, 'columns' | 'rows'>): ExportCell[][] {
  return table.rows.map((row) => table.columns.map((c, i) => exportCell(c, row[i] ?? null, table.columns, row)));
}

/** A rate as a percentage with one decimal ("87.5%"), or the suppressed text unchanged. */
export function formatExportCell(column: AnalyticsColumn, cell: ExportCell): string {
  if (typeof cell === 'string') return cell;
  if (column.kind === 'rate') return `${(Math.round(cell * 1000) / 10).toFixed(1)}%`;
  return String(cell);
}
