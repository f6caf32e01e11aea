import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../ports/clock.ts';
import type { SatisfactionStats } from '../../../ports/call-records.ts';
import type { SatisfactionResponse } from '../../../wire/satisfaction.ts';
import { requireRole } from '../auth-middleware.ts';

const DAY_MS = 24 * 3600_000;
/** Longest period one request may count (a year and a day, for leap years and time zones). */
const MAX_SPAN_MS = 367 * DAY_MS;

const instant = z.string().max(40).datetime({ offset: true });
const query = z.object({ from: instant.optional(), to: instant.optional() });

/**
 * Survey answers counted per counsellor: supervisors and admins only (a counsellor never sees
 * their own or a colleague's figures). Default period: the last 30 days.
 */
export function satisfactionRoutes(d: { stats: SatisfactionStats; clock: Clock }): Router {
  const r = Router();
  r.get('/api/supervision/satisfaction', requireRole('supervisor', 'admin'), async (req, res) => {
    const q = query.parse(req.query);
    const to = q.to ? new Date(q.to) : d.clock.now();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
    const span = to.getTime() - from.getTime();
    if (!(span > 0 && span <= MAX_SPAN_MS)) {
      throw new z.ZodError([{ code: 'custom', path: ['from'], message: 'from must be before to, at most 367 days apart' }]);
    }
    const rows = await d.stats.countByCounsellor(from.toISOString(), to.toISOString());
    res.json({
      from: from.toISOString(), to: to.toISOString(),
      counsellors: rows.map((c) => ({ ...c, total: c.satisfied + c.basicallySatisfied + c.dissatisfied })),
    } satisfies SatisfactionResponse);
  });
  return r;
}
