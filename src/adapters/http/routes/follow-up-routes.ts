import { Router } from 'express';
import { z } from 'zod';
import { FOLLOW_UP_OUTCOMES } from '../../../domain/follow-ups/follow-up-outcome.ts';
import type { FollowUpService } from '../../../services/follow-ups/follow-up-service.ts';
import type { FollowUpDetailResponse, FollowUpOutcomeResponse, FollowUpsResponse } from '../../../wire/follow-ups.ts';
import { principal, requireRole } from '../auth-middleware.ts';

const OutcomeBody = z.object({ outcome: z.enum(FOLLOW_UP_OUTCOMES), satisfied: z.boolean().optional(), note: z.string().max(2000).optional() }).strict();

/**
 * Follow-up calls (回访): supervisors list the open and recent attempts (due, being dialled,
 * failed); the counsellor a follow-up rings sees its case and records the outcome.
 */
export function followUpRoutes(d: { followUps: FollowUpService }): Router {
  const r = Router();
  r.get('/api/follow-ups', requireRole('supervisor', 'admin'), async (_req, res) => {
    res.json((await d.followUps.list()) satisfies FollowUpsResponse);
  });
  r.get('/api/follow-ups/:id', requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
    res.json((await d.followUps.detail(String(req.params.id), principal(req))) satisfies FollowUpDetailResponse);
  });
  r.post('/api/follow-ups/:id/outcome', requireRole('counsellor', 'supervisor'), async (req, res) => {
    const body = OutcomeBody.parse(req.body ?? {});
    const followUp = await d.followUps.record(String(req.params.id), principal(req), {
      outcome: body.outcome, ...(body.satisfied !== undefined ? { satisfied: body.satisfied } : {}), ...(body.note !== undefined ? { note: body.note } : {}),
    });
    res.json({ followUp } satisfies FollowUpOutcomeResponse);
  });
  return r;
}
