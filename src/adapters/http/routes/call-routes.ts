import { Router } from 'express';
import { z } from 'zod';
import { maskNumber } from '../../../domain/calls/mask.ts';
import { AuthError, NotFoundError } from '../../../errors.ts';
import type { AuditLog, Principal } from '../../../ports/auth.ts';
import type { CallRecord, CallRecords } from '../../../ports/call-records.ts';
import type { CallListResponse, CallRecordResponse, RevealNumberResponse } from '../../../wire/calls.ts';
import { principal, requireRole } from '../auth-middleware.ts';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.string().datetime({ offset: true }).optional(),
});

/** Records leave the API with the caller's number masked; revealing it is a separate, audited act. */
export function presentRecord(r: CallRecord): CallRecord {
  return { ...r, callerNumber: maskNumber(r.callerNumber) };
}

function canSee(who: Principal, r: CallRecord): boolean {
  return who.role !== 'counsellor' || r.counsellorId === who.userId;
}

export function callRoutes(records: CallRecords, audit: AuditLog): Router {
  const r = Router();
  r.get('/api/calls', requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
    const who = principal(req);
    const q = listQuery.parse(req.query);
    const list = await records.list({ ...q, ...(who.role === 'counsellor' ? { counsellorId: who.userId } : {}) });
    res.json({ calls: list.map(presentRecord) } satisfies CallListResponse);
  });
  r.get('/api/calls/:callId', requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
    const rec = await records.get(String(req.params.callId));
    if (!rec || !canSee(principal(req), rec)) throw new NotFoundError('no-such-call', 'no such call');
    res.json({ call: presentRecord(rec) } satisfies CallRecordResponse);
  });
  // A supervisor may need the full number (e.g. to brief the police); every reveal is audited.
  r.post('/api/calls/:callId/reveal-number', requireRole('supervisor', 'admin'), async (req, res) => {
    const who = principal(req);
    const rec = await records.get(String(req.params.callId));
    if (!rec) throw new NotFoundError('no-such-call', 'no such call');
    if (!rec.callerNumber) throw new AuthError('forbidden', 'no number on this call');
    await audit.append({ actor: who.userId, role: who.role, action: 'reveal-number', callId: rec.callId });
    res.json({ callerNumber: rec.callerNumber } satisfies RevealNumberResponse);
  });
  return r;
}
