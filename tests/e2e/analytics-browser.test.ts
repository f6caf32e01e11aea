import ExcelJS from 'exceljs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { exportCell } from '../../src/wire/analytics-cells.ts';
import type { AnalyticsResponse, AnalyticsTable } from '../../src/wire/analytics.ts';
import { AriInspector } from './support/ari-inspector.ts';
import { endEachBrowserTest, openBrowser, signIn, textOf } from './support/browser.ts';
import { webPassword } from './support/peers.ts';
import { e2eDatabaseUrl, startService } from './support/service.ts';

/**
 * The analytics page (统计分析) in headless Chromium on the real service and PostgreSQL: known
 * history of February 2024 (far from the calls other tests make today) is drawn as ECharts
 * canvases, and the XLSX the page downloads holds the API's numbers, with cells under 5 as "<5".
 */

const ari = new AriInspector();
const parts = endEachBrowserTest(ari);
const RUN = `ae2e${Date.now().toString(36)}`;
const FROM = '2024-02-01';
const TO = '2024-02-29';

/** Twelve calls: seven about romance (三级), three about depression (二级), two nobody answered. */
async function seedHistory(db: pg.Pool): Promise<void> {
  const calls = Array.from({ length: 12 }, (_, i) => ({
    id: `${RUN}-${i}`, at: new Date(Date.UTC(2024, 1, 5 + (i % 3), 1 + i)).toISOString(),
    grade: i < 7 ? 3 : i < 10 ? 2 : null, categories: i < 7 ? ['romance'] : i < 10 ? ['mental-health/depression'] : [],
    answered: i < 10, waitMs: 3000 * i,
  }));
  for (const c of calls) {
    await db.query('INSERT INTO calls (call_id, line, caller_number, started_at, counsellor_id) VALUES ($1, $2, $3, $4, $5)',
      [c.id, 'main', '13900000000', c.at, c.answered ? 'c1001' : null]);
    await db.query('INSERT INTO queue_events (at, type, call_id, data) VALUES ($1, $2, $3, $4), ($1, $5, $3, $6)',
      [c.at, 'enter', c.id, '{}', c.answered ? 'connect' : 'abandon', JSON.stringify({ waitMs: c.waitMs })]);
    await db.query(
      `INSERT INTO cases (id, call_id, idempotency_key, kind, status, categories, grade, city, county, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'saved', $5, $6, '广州市', '天河区', $7, $7)`,
      [`case-${c.id}`, c.id, `key-${c.id}`, c.answered ? 'counselled' : 'unanswered', c.categories, c.grade, c.at],
    );
  }
  // The next analytics request rebuilds the facts, taking in this history of the past.
  await db.query('DELETE FROM analytics_refresh');
}

async function readXlsx(path: string): Promise<Map<string, Array<Array<string | number>>>> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  const sheets = new Map<string, Array<Array<string | number>>>();
  book.eachSheet((sheet) => {
    const rows: Array<Array<string | number>> = [];
    sheet.eachRow((row) => rows.push((row.values as Array<string | number | null | undefined>).slice(1).map((v) => v ?? '')));
    sheets.set(sheet.name, rows);
  });
  return sheets;
}

const expectedRows = (t: AnalyticsTable) => t.rows.map((r) => t.columns.map((c, i) => exportCell(c, r[i] ?? null, t.columns, r)));

describe('analytics page in Chromium', () => {
  it('draws the charts of the filtered period and downloads an XLSX whose numbers are the API\'s', async () => {
    const s = (parts.service = await startService());
    const db = new pg.Pool({ connectionString: e2eDatabaseUrl(), max: 2 });
    try {
      await seedHistory(db);
    } finally {
      await db.end();
    }
    const token = await s.login('s2001', webPassword('s2001'));
    const api = await s.api<AnalyticsResponse>(`/api/analytics?from=${FROM}&to=${TO}`, token);
    expect(api.status).toBe(200);
    const table = (id: string) => api.body.tables.find((t) => t.id === id)!;
    expect(table('grade').rows).toEqual([['二级（高风险）', 3], ['三级（求助）', 7], ['未填写', 2]]);
    expect(table('category').rows).toEqual([['心理健康', '一级', 3], ['心理健康 › 抑郁情绪', '二级', 3], ['恋爱情感', '一级', 7]]);
    expect(table('answer').rows.map((r) => r.slice(0, 4))).toEqual([['2024-02-05', 4, 4, 3], ['2024-02-06', 4, 3, 2], ['2024-02-07', 4, 3, 2]]); // within 20 s: waits of 0–18 s
    // A counsellor may not read them.
    expect((await s.api(`/api/analytics?from=${FROM}&to=${TO}`, await s.login('c1001', webPassword('c1001')))).status).toBe(403);

    const { page } = (parts.browser = await openBrowser(s.url));
    await signIn(page, '/analytics.html', 's2001', webPassword('s2001'));
    await page.locator('#app[data-loaded]').waitFor({ timeout: 15_000 }); // the first figures are in: the filters are live
    await page.locator('#filter-from').fill(FROM);
    await page.locator('#filter-to').fill(TO);
    await page.locator('#filters button[type="submit"]').click();
    await expect.poll(() => textOf(page, '#period-text'), { timeout: 15_000, message: 'the period shown' }).toContain(`${FROM} 至 ${TO}`);
    // Every table has its chart drawn on a canvas, with something on it.
    expect(await page.locator('#tables [data-chart]').count()).toBe(api.body.tables.length);
    await expect.poll(() => page.locator('#tables [data-chart] canvas').count(), { timeout: 15_000, message: 'charts drawn' }).toBe(api.body.tables.length);
    const inked = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLCanvasElement>('#tables [data-chart] canvas')).map((c) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n += 1;
      return { chart: c.closest('[data-chart]')!.getAttribute('data-chart'), width: c.width, inked: n };
    }));
    for (const c of inked) {
      expect(c.width, `${c.chart} canvas width`).toBeGreaterThan(100);
      expect(c.inked, `${c.chart} canvas has drawing on it`).toBeGreaterThan(500);
    }

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-all').click()]);
    expect(download.suggestedFilename()).toBe(`hotline-analytics-all-${FROM}-${TO}.xlsx`);
    const sheets = await readXlsx((await download.path())!);
    expect(sheets.get('说明')?.[1]?.[1]).toContain(`${FROM} 至 ${TO}`);
    for (const t of api.body.tables) {
      const sheet = sheets.get(t.title);
      expect(sheet, `sheet ${t.title}`).toBeDefined();
      expect(sheet![0], `${t.title} header`).toEqual(t.columns.map((c) => c.label));
      expect(sheet!.slice(1), `${t.title} rows`).toEqual(expectedRows(t).map((r) => r.map((v) => v)));
    }
    // Small cells are hidden in the file, large ones are there: 3 calls about depression → "<5", 7 about romance → 7.
    expect(sheets.get('来电问题类别')!.slice(1)).toEqual([['心理健康', '一级', '<5'], ['心理健康 › 抑郁情绪', '二级', '<5'], ['恋爱情感', '一级', 7]]);
    expect(JSON.stringify([...sheets.values()])).not.toContain('13900000000');

    // The monthly report prints: small cells suppressed, the print button hidden on paper.
    await page.goto('/analytics-report.html?month=2024-02');
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await textOf(page, '#report-title')).toBe('12355 青少年服务热线 2024年2月 统计报告');
    expect(await page.locator('.report-section canvas').count()).toBe(api.body.tables.length);
    expect(await page.locator('.report-section table[data-table="category"] tbody').textContent()).toContain('<5');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#print').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);
});
