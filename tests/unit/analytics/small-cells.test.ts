import { describe, expect, it } from 'vitest';
import { formatExportCell, suppressSmallCells } from '../../../src/wire/analytics-cells.ts';
import type { AnalyticsColumn } from '../../../src/wire/analytics.ts';
import { csvField, tableToCsv } from '../../../src/services/analytics/analytics-csv.ts';

const columns: AnalyticsColumn[] = [
  { key: 'centre', label: '服务中心', kind: 'label' },
  { key: 'orders', label: '工单数', kind: 'count' },
  { key: 'closed', label: '办结', kind: 'count' },
  { key: 'closeRate', label: '办结率', kind: 'rate', base: 'orders' },
  { key: 'asa', label: '平均应答时长（秒）', kind: 'seconds', base: 'closed' },
];

describe('small-cell suppression', () => {
  it('shows counts of 1 to 4 people as "<5", and 0 and 5 or more as they are', () => {
    const rows = suppressSmallCells({ columns, rows: [['甲', 0, 1, null, null], ['乙', 4, 5, 0.5, 12.5], ['丙', 5, 3, 0.6, 8]] });
    expect(rows).toEqual([['甲', 0, '<5', '', ''], ['乙', '<5', 5, '<5', 12.5], ['丙', 5, '<5', 0.6, '<5']]);
  });

  it('never suppresses a label, even one that looks like a small number', () => {
    expect(suppressSmallCells({ columns: [{ key: 'hour', label: '时段', kind: 'label' }, { key: 'n', label: 'n', kind: 'count' }], rows: [[3, 10]] })).toEqual([[3, 10]]);
  });

  it('keeps a rate whose base column is missing from the table', () => {
    expect(suppressSmallCells({ columns: [{ key: 'r', label: 'r', kind: 'rate', base: 'nothing' }], rows: [[0.25]] })).toEqual([[0.25]]);
  });

  it('formats rates as percentages and leaves suppressed cells alone', () => {
    expect(formatExportCell(columns[3]!, 0.8755)).toBe('87.6%');
    expect(formatExportCell(columns[3]!, '<5')).toBe('<5');
    expect(formatExportCell(columns[1]!, 12)).toBe('12');
  });
});

describe('CSV export', () => {
  it('writes a BOM, the labels and the suppressed rows', () => {
    const csv = tableToCsv({ id: 'centres', title: '工单', columns, rows: [['天河区12355, 站', 12, 2, 0.25, 30]] });
    expect(csv).toBe('\uFEFF服务中心,工单数,办结,办结率,平均应答时长（秒）\r\n"天河区12355, 站",12,<5,25.0%,<5\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('-3')).toBe('-3');
  });
});
