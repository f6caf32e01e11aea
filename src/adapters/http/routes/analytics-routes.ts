import { Router, type Request } from 'express';
import { parseAnalyticsFilter } from '../../../domain/analytics/filter.ts';
import { ValidationError } from '../../../errors.ts';
import type { AnalyticsFilter } from '../../../ports/analytics.ts';
import type { AuditLog } from '../../../ports/auth.ts';
import type { AnalyticsService } from '../../../services/analytics/analytics-service.ts';
import { tableToCsv } from '../../../services/analytics/analytics-csv.ts';
import { ANALYTICS_TABLES, type AnalyticsFilterEcho, type AnalyticsResponse, type AnalyticsTableId } from '../../../wire/analytics.ts';
import { tablesToXlsx } from '../../export/xlsx-export.ts';
import { principal, requireRole } from '../auth-middleware.ts';

/** Statistics for supervisors and admins (统计分析): the tables as JSON, and exports as CSV or XLSX. */
export function analyticsRoutes(d: { analytics: AnalyticsService; audit: AuditLog }): Router {
  const r = Router();
  const guard = requireRole('supervisor', 'admin');

  /** The filter of the request, without the export parameters. */
  const filterOf = (req: Request, omit: readonly string[] = []): { filter: AnalyticsFilter; period: 'day' | 'month'; echo: AnalyticsFilterEcho } => {
    const query = Object.fromEntries(Object.entries(req.query).filter(([k]) => !omit.includes(k)));
    const parsed = parseAnalyticsFilter(query, d.analytics.known(), d.analytics.today());
    if (!parsed.ok) throw new ValidationError(`${parsed.field}: ${parsed.message}`, { field: parsed.field });
    const f = parsed.filter;
    return {
      filter: f, period: parsed.period,
      echo: { from: f.from, to: f.to, line: f.line ?? null, team: f.team ?? null, category: f.category ?? null, grade: f.grade ?? null, period: parsed.period },
    };
  };

  r.get('/api/analytics/options', guard, (_req, res) => {
    res.json(d.analytics.options());
  });

  r.get('/api/analytics', guard, async (req, res) => {
    const { filter, period, echo } = filterOf(req);
    res.json({ filter: echo, serviceLevelSeconds: d.analytics.serviceLevelSeconds, tables: await d.analytics.tables(filter, period) } satisfies AnalyticsResponse);
  });

  r.get('/api/analytics/export', guard, async (req, res) => {
    const format = req.query.format;
    const table = req.query.table ?? 'all';
    if (format !== 'csv' && format !== 'xlsx') throw new ValidationError('format: must be csv or xlsx', { field: 'format' });
    if (typeof table !== 'string' || (table !== 'all' && !(ANALYTICS_TABLES as readonly string[]).includes(table))) {
      throw new ValidationError('table: unknown table', { field: 'table' });
    }
    if (format === 'csv' && table === 'all') throw new ValidationError('table: a CSV holds one table', { field: 'table' });
    const { filter, period, echo } = filterOf(req, ['format', 'table']);
    const tables = await d.analytics.tables(filter, period, table === 'all' ? ANALYTICS_TABLES : [table as AnalyticsTableId]);
    const who = principal(req);
    await d.audit.append({ actor: who.userId, role: who.role, action: 'analytics-export', target: table, data: { format, ...echo } });
    const name = `hotline-analytics-${table}-${filter.from}-${filter.to}.${format}`;
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').send(tableToCsv(tables[0]!));
    } else {
      res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await tablesToXlsx(tables, echo));
    }
  });
  return r;
}
