import { Router } from 'express';
import { maskNumber } from '../../../domain/calls/mask.ts';
import { ConflictError, NotFoundError } from '../../../errors.ts';
import type { AuditLog } from '../../../ports/auth.ts';
import type { Jobs } from '../../../ports/jobs.ts';
import type { DialBackService } from '../../../services/callbacks/dial-back-service.ts';
import type { CallbacksResponse, ClaimCallbackResponse, DialBackResponse } from '../../../wire/callbacks.ts';
import { principal, requireRole } from '../auth-middleware.ts';

/** Callbacks callers asked for (press 1 while waiting): the list, a claim to call from elsewhere, or a dial-back from the hotline. */
export function callbackRoutes(d: { jobs: Jobs; audit: AuditLog; dialBacks: DialBackService }): Router {
  const r = Router();
  // Counsellors see the list too: they are the ones who call back. Numbers stay masked.
  r.get('/api/callbacks', requireRole('counsellor', 'supervisor', 'admin'), async (_req, res) => {
    const list = await d.jobs.pendingCallbacks();
    res.json({ callbacks: list.map((c) => ({ ...c, callerNumber: maskNumber(c.callerNumber) })) } satisfies CallbacksResponse);
  });
  r.post('/api/callbacks/:jobId/claim', requireRole('supervisor', 'admin', 'counsellor'), async (req, res) => {
    const who = principal(req);
    const jobId = String(req.params.jobId);
    // The claim is audited before the full number leaves, and undone if the audit cannot be written.
    const claim = await d.jobs.claimCallback(jobId, who.userId, (callback) =>
      d.audit.append({ actor: who.userId, role: who.role, action: 'callback-claim', callId: callback.callId, target: jobId }));
    if (claim.status === 'unknown') throw new NotFoundError('no-such-callback', 'no such pending callback');
    if (claim.status === 'taken') throw new ConflictError('callback-taken', 'another person has taken this callback');
    res.json({ callback: claim.callback } satisfies ClaimCallbackResponse);
  });
  // The hotline rings the counsellor's own phone, then the caller: the number never leaves the service.
  r.post('/api/callbacks/:jobId/dial', requireRole('counsellor'), async (req, res) => {
    const dialBack = await d.dialBacks.start(String(req.params.jobId), principal(req));
    res.status(202).json({ dialBack } satisfies DialBackResponse);
  });
  return r;
}
