/**
 * XLSX export (exceljs): one sheet per analytics table, small cells suppressed ("<5"), rates as
 * percentages, and a first sheet saying what was counted and the suppression rule.
 */
import ExcelJS from 'exceljs';
import { SMALL_CELL_LIMIT, suppressSmallCells } from '../../wire/analytics-cells.ts';
import type { AnalyticsFilterEcho, AnalyticsTable } from '../../wire/analytics.ts';

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (title: string, used: Set<string>): string => {
  const base = title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  used.add(name);
  return name;
};

export async function tablesToXlsx(tables: readonly AnalyticsTable[], filter: AnalyticsFilterEcho): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '12355 hotline';
  const about = book.addWorksheet('说明');
  about.addRows([
    ['12355 热线统计分析'],
    ['统计期间', `${filter.from} 至 ${filter.to}（北京时间，含首尾两日）`],
    ['筛选', [filter.line && `线路 ${filter.line}`, filter.team && `团队 ${filter.team}`, filter.category && `类别 ${filter.category}`, filter.grade && `等级 ${filter.grade}`].filter(Boolean).join('；') || '无'],
    ['隐私', `少于${SMALL_CELL_LIMIT}人的单元格显示为“<${SMALL_CELL_LIMIT}”；不含电话号码、姓名或文字记录。`],
  ]);
  about.getColumn(1).width = 12;
  about.getColumn(2).width = 60;
  const used = new Set(['说明']);
  for (const table of tables) {
    const sheet = book.addWorksheet(sheetName(table.title, used));
    sheet.addRow(table.columns.map((c) => c.label)).font = { bold: true };
    for (const row of suppressSmallCells(table)) sheet.addRow(row);
    table.columns.forEach((c, i) => {
      const column = sheet.getColumn(i + 1);
      column.width = Math.max(10, c.label.length * 2 + 2);
      if (c.kind === 'rate') column.numFmt = '0.0%';
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
