/** CSV export of an analytics table: small cells suppressed, UTF-8 with a BOM (Excel opens Chinese correctly). */
import { formatExportCell, suppressSmallCells } from '../../wire/analytics-cells.ts';
import type { AnalyticsTable } from '../../wire/analytics.ts';

/** Quotes a field; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function tableToCsv(table: AnalyticsTable): string {
  const lines = [table.columns.map((c) => csvField(c.label)).join(',')];
  for (const row of suppressSmallCells(table)) lines.push(row.map((cell, i) => csvField(formatExportCell(table.columns[i]!, cell))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
