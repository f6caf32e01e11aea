import { Router } from 'express';
import { z } from 'zod';
import { AuthError, NotFoundError } from '../../../errors.ts';
import type { AuditLog } from '../../../ports/auth.ts';
import type { EscalationLog } from '../../../ports/escalation-log.ts';
import type { CallService } from '../../../services/calls/call-service.ts';
import type { EscalationService } from '../../../services/escalation/escalation-service.ts';
import type { MonitorService } from '../../../services/monitoring/monitor-service.ts';
import type { AlertLog } from '../../../services/monitoring/alert-log.ts';
import type { TransferService } from '../../../services/transfer/transfer-service.ts';
import type { EscalateResponse, TransferActionResponse, TransferRequest, TransferResponse } from '../../../wire/calls.ts';
import type { AlertsResponse, AuditResponse, EscalationsResponse, MonitorRequest, MonitorSessionsResponse, MonitorStartResponse } from '../../../wire/supervision.ts';
import { principal, requireRole } from '../auth-middleware.ts';

const monitorBody: z.ZodType<MonitorRequest> = z.object({ mode: z.enum(['listen', 'whisper', 'barge']) });
const transferBody: z.ZodType<Required<TransferRequest>, z.ZodTypeDef, unknown> = z.object({ to: z.string().min(1).max(64), mode: z.enum(['warm', 'blind']).default('warm') });

/** Escalation (counsellor on the call, or a supervisor), monitoring, alerts and the audit log. */
export function supervisionRoutes(d: {
  calls: CallService; escalations: EscalationService; escalationLog: EscalationLog; monitors: MonitorService; audit: AuditLog; alerts: AlertLog; transfers: TransferService;
}): Router {
  const r = Router();
  r.post('/api/calls/:callId/escalate', requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
    const who = principal(req);
    const callId = String(req.params.callId);
    const call = d.calls.getCall(callId);
    if (!call) throw new NotFoundError('no-such-call', 'no such live call');
    if (who.role === 'counsellor' && call.counsellorId !== who.userId) throw new AuthError('forbidden', 'not your call');
    const e = await d.escalations.escalate(callId, who);
    res.status(202).json({ escalation: { id: e.id, state: e.status } } satisfies EscalateResponse);
  });
  r.post('/api/calls/:callId/transfer', requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
    const who = principal(req);
    const callId = String(req.params.callId);
    const body = transferBody.parse(req.body ?? {});
    const call = d.calls.getCall(callId);
    if (!call) throw new NotFoundError('no-such-call', 'no such live call');
    if (who.role === 'counsellor' && call.counsellorId !== who.userId) throw new AuthError('forbidden', 'not your call');
    res.status(202).json({ transfer: await d.transfers.transfer(callId, body.to, body.mode, who) } satisfies TransferResponse);
  });
  // Warm transfer: hand the caller to the colleague consulted, or call it off (caller back with the counsellor).
  for (const action of ['complete', 'cancel'] as const) {
    r.post(`/api/calls/:callId/transfer/${action}`, requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
      const who = principal(req);
      const callId = String(req.params.callId);
      const call = d.calls.getCall(callId);
      if (!call) throw new NotFoundError('no-such-call', 'no such live call');
      if (who.role === 'counsellor' && call.counsellorId !== who.userId) throw new AuthError('forbidden', 'not your call');
      res.json({ transfer: await d.transfers[action](callId, who) } satisfies TransferActionResponse);
    });
  }
  r.get('/api/escalations', requireRole('supervisor', 'admin'), async (_req, res) => {
    res.json({ escalations: await d.escalationLog.list(100) } satisfies EscalationsResponse);
  });
  r.post('/api/calls/:callId/monitor', requireRole('supervisor', 'admin'), async (req, res) => {
    const body = monitorBody.parse(req.body ?? {});
    const s = await d.monitors.start(String(req.params.callId), body.mode, principal(req));
    res.status(202).json({ session: s } satisfies MonitorStartResponse);
  });
  r.get('/api/monitor', requireRole('supervisor', 'admin'), (_req, res) => {
    res.json({ sessions: d.monitors.list() } satisfies MonitorSessionsResponse);
  });
  r.delete('/api/monitor/:id', requireRole('supervisor', 'admin'), async (req, res) => {
    await d.monitors.stop(String(req.params.id), principal(req));
    res.json({ ok: true });
  });
  r.get('/api/alerts', requireRole('supervisor', 'admin'), (_req, res) => {
    res.json({ alerts: d.alerts.recent() } satisfies AlertsResponse);
  });
  r.get('/api/audit', requireRole('admin', 'supervisor'), async (req, res) => {
    const limit = z.coerce.number().int().min(1).max(1000).default(200).parse(req.query.limit);
    res.json({ entries: await d.audit.list(limit) } satisfies AuditResponse);
  });
  return r;
}
