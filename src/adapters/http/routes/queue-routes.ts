import { Router } from 'express';
import { z } from 'zod';
import { PRIORITY } from '../../../domain/calls/routing-request.ts';
import { callerReach } from '../../../domain/routing/eligibility.ts';
import type { QueuePolicy } from '../../../domain/routing/types.ts';
import { NotFoundError } from '../../../errors.ts';
import type { AuditLog } from '../../../ports/auth.ts';
import type { QueueEventLog } from '../../../ports/queue-events.ts';
import type { QueueStore } from '../../../ports/queue-store.ts';
import type { Clock } from '../../../ports/clock.ts';
import type { CallService } from '../../../services/calls/call-service.ts';
import type { QueueService } from '../../../services/queue/queue-service.ts';
import type { ActiveCallsResponse, ActiveEscalation } from '../../../wire/calls.ts';
import type { QueueEventsResponse, QueueResponse, QueueStatsResponse, RaisePriorityRequest } from '../../../wire/queue.ts';
import { principal, requireRole } from '../auth-middleware.ts';

const priorityBody: z.ZodType<RaisePriorityRequest> = z.object({ priority: z.enum(['high', 'emergency']) });

export interface QueueRouteDeps {
  store: QueueStore;
  events: QueueEventLog;
  queue: QueueService;
  calls: CallService;
  audit: AuditLog;
  clock: Clock;
  timeZone: string;
  serviceLevelSeconds: number;
  escalationsToday: () => Promise<number>;
  escalationOf: (callId: string) => ActiveEscalation | null;
  /** The queue policy (widening times) and team names, to show how far each caller's search has widened. */
  policy: QueuePolicy;
  teamNames: Record<string, string>;
}

/** Start of today in the hotline's time zone, as an ISO instant. */
export function startOfDay(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hour12: false, minute: '2-digit', second: '2-digit' }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const elapsed = ((get('hour') % 24) * 3600 + get('minute') * 60 + get('second')) * 1000 + now.getMilliseconds();
  return new Date(now.getTime() - elapsed).toISOString();
}

export function queueRoutes(d: QueueRouteDeps): Router {
  const r = Router();
  r.get('/api/queue', requireRole('supervisor', 'admin'), async (_req, res) => {
    const now = d.clock.now().getTime();
    const callers = await d.store.listCallers();
    res.json({
      waiting: callers.map((c, i) => ({
        callId: c.callId, line: c.line, need: c.need, language: c.language, priority: c.priority, highRisk: c.highRisk,
        position: i + 1, waitSec: Math.round((now - c.enqueuedAt) / 1000), state: c.state, offeredTo: c.offeredTo,
        callbackRequested: c.callbackRequested, overflowed: c.overflowed,
        team: c.team, teamName: c.team === null ? null : (d.teamNames[c.team] ?? c.team), reach: callerReach(c, d.policy, now),
      })),
    } satisfies QueueResponse);
  });
  r.get('/api/queue/stats', requireRole('supervisor', 'admin'), async (_req, res) => {
    const since = startOfDay(d.clock.now(), d.timeZone);
    const stats = await d.events.stats(since, d.serviceLevelSeconds, d.timeZone);
    res.json({ stats: { ...stats, escalations: await d.escalationsToday() } } satisfies QueueStatsResponse);
  });
  r.get('/api/queue/events', requireRole('supervisor', 'admin'), async (req, res) => {
    const since = typeof req.query.since === 'string' ? req.query.since : startOfDay(d.clock.now(), d.timeZone);
    res.json({ events: await d.events.list(z.string().datetime({ offset: true }).parse(since), 1000) } satisfies QueueEventsResponse);
  });
  r.post('/api/queue/:callId/priority', requireRole('supervisor', 'admin'), async (req, res) => {
    const who = principal(req);
    const body = priorityBody.parse(req.body ?? {});
    const callId = String(req.params.callId);
    const caller = await d.store.getCaller(callId);
    if (!caller) throw new NotFoundError('no-such-waiting-caller', 'that caller is not waiting');
    const priority = body.priority === 'emergency' ? PRIORITY.emergency : PRIORITY.highRisk;
    await d.store.putCaller({ ...caller, priority: Math.max(priority, caller.priority), highRisk: true });
    await d.audit.append({ actor: who.userId, role: who.role, action: 'raise-priority', callId, data: { priority: body.priority } });
    void d.queue.offers.dispatch();
    res.json({ ok: true });
  });
  r.get('/api/calls/active', requireRole('supervisor', 'admin'), (_req, res) => {
    res.json({
      calls: d.calls.liveCalls().map((c) => ({
        callId: c.callId, line: c.line, need: c.routing?.need ?? null, language: c.routing?.language ?? null, phase: c.phase,
        counsellorId: c.counsellorId, highRisk: c.routing?.highRisk ?? false, critical: c.phase === 'escalating', startedAt: c.startedAt, escalation: d.escalationOf(c.callId),
      })),
    } satisfies ActiveCallsResponse);
  });
  return r;
}
