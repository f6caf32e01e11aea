import { Router } from 'express';
import type { z } from 'zod';
import { counsellorSchema, parseRoster, type Roster } from '../../../config/roster.ts';
import { NotFoundError } from '../../../errors.ts';
import type { AuditLog } from '../../../ports/auth.ts';
import { principal, requireRole } from '../auth-middleware.ts';

const patchBody = counsellorSchema.omit({ id: true, sipUser: true }).partial().strict();

/**
 * Roster changes without a restart (admins): skills, languages, team, level and name take
 * effect for the next match. New SIP accounts still need the PBX configuration re-rendered.
 */
export function rosterRoutes(d: { roster: () => Roster; replace: (r: Roster) => Promise<void>; audit: AuditLog }): Router {
  const r = Router();
  r.get('/api/roster', requireRole('supervisor', 'admin'), (_req, res) => {
    res.json({ roster: d.roster() });
  });
  r.patch('/api/roster/counsellors/:id', requireRole('admin'), async (req, res) => {
    const who = principal(req);
    const id = String(req.params.id);
    const patch = patchBody.parse(req.body ?? {});
    const current = d.roster();
    if (!current.counsellors.some((c) => c.id === id)) throw new NotFoundError('no-such-counsellor', `no counsellor ${id}`);
    const next = parseRoster({ ...current, counsellors: current.counsellors.map((c) => (c.id === id ? { ...c, ...patch } : c)) });
    await d.replace(next);
    await d.audit.append({ actor: who.userId, role: who.role, action: 'roster-change', target: id, data: patch });
    res.json({ counsellor: next.counsellors.find((c) => c.id === id) });
  });
  return r;
}

export const rosterPatchSchema = patchBody;
export type RosterPatch = z.infer<typeof patchBody>;
