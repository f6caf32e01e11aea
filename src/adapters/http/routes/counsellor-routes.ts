import { Router } from 'express';
import { z } from 'zod';
import { sipIdentities, type Roster } from '../../../config/roster.ts';
import { maskNumber } from '../../../domain/calls/mask.ts';
import type { CounsellorEvent } from '../../../domain/routing/counsellor-events.ts';
import type { CounsellorSnapshot } from '../../../domain/routing/types.ts';
import { NotFoundError } from '../../../errors.ts';
import type { AuditLog, Principal } from '../../../ports/auth.ts';
import type { CallService } from '../../../services/calls/call-service.ts';
import type { CounsellorService } from '../../../services/queue/counsellor-service.ts';
import type { ActiveEscalation, ActiveTransfer, MyCallResponse } from '../../../wire/calls.ts';
import type {
  AvailableCounsellorsResponse, CounsellorListResponse, CounsellorStateResponse, MyCounsellorResponse, SipConfig, StateChangeRequest,
} from '../../../wire/counsellors.ts';
import { principal, requireRole } from '../auth-middleware.ts';

const stateBody: z.ZodType<StateChangeRequest> = z.object({
  action: z.enum(['login', 'logout', 'pause', 'resume', 'wrap-up-done']),
  reason: z.string().max(100).optional(),
});

function toEvent(body: StateChangeRequest): CounsellorEvent {
  switch (body.action) {
    case 'pause':
      return { type: 'pause', reason: body.reason ?? 'break' };
    case 'wrap-up-done':
      return { type: 'wrap-up-elapsed' };
    default:
      return { type: body.action };
  }
}

/** Supervisors see their own team; province-level supervisors and admins see everyone. */
export function visibleTo(who: Principal, c: Pick<CounsellorSnapshot, 'team'>): boolean {
  return who.role === 'admin' || who.level === 'province' || who.team === c.team;
}

export interface CounsellorRouteDeps {
  counsellors: CounsellorService;
  calls: CallService;
  audit: AuditLog;
  roster: () => Roster;
  sipPasswords: Record<string, string>;
  sipWsUrl: string;
  sipDomain: string;
  wrapUpMs: number;
  escalationOf: (callId: string) => ActiveEscalation | null;
  transferOf: (callId: string) => ActiveTransfer | null;
}

export function counsellorRoutes(d: CounsellorRouteDeps): Router {
  const r = Router();
  const me = async (who: Principal) => {
    const c = await d.counsellors.get(who.userId);
    if (!c) throw new NotFoundError('no-such-counsellor', 'you are not on the roster as a counsellor');
    return c;
  };

  r.get('/api/console/sip', requireRole('counsellor', 'supervisor'), (req, res) => {
    const who = principal(req);
    const person = [...d.roster().counsellors, ...d.roster().staff].find((p) => p.id === who.userId);
    if (!person?.sipUser) throw new NotFoundError('no-sip-account', 'no SIP account for you');
    const web = sipIdentities(person.sipUser).web;
    res.json({ wsServer: d.sipWsUrl, aor: `sip:${web}@${d.sipDomain}`, username: web, password: d.sipPasswords[person.sipUser], displayName: person.name } satisfies SipConfig);
  });
  r.get('/api/counsellors/me', requireRole('counsellor'), async (req, res) => {
    res.json({ counsellor: await me(principal(req)), wrapUpMs: d.wrapUpMs } satisfies MyCounsellorResponse);
  });
  r.post('/api/counsellors/me/state', requireRole('counsellor'), async (req, res) => {
    const who = principal(req);
    await me(who);
    res.json({ counsellor: await d.counsellors.apply(who.userId, toEvent(stateBody.parse(req.body ?? {}))) } satisfies CounsellorStateResponse);
  });
  r.get('/api/counsellors/me/call', requireRole('counsellor'), async (req, res) => {
    const c = await me(principal(req));
    const call = d.calls.liveCalls().find((k) => k.counsellorId === c.id || (c.callId && k.callId === c.callId));
    if (!call) {
      res.json({ call: null } satisfies MyCallResponse);
      return;
    }
    res.json({
      call: {
        callId: call.callId, line: call.line, need: call.routing?.need ?? null, language: call.routing?.language ?? null,
        path: call.ivr?.path ?? [], highRisk: call.routing?.highRisk ?? false, critical: call.phase === 'escalating',
        callerNumber: maskNumber(call.callerNumber), phase: call.phase,
        waitSec: Math.round((Date.now() - Date.parse(call.startedAt)) / 1000),
        escalation: d.escalationOf(call.callId),
        transfer: d.transferOf(call.callId),
      },
    } satisfies MyCallResponse);
  });
  r.get('/api/counsellors/available', requireRole('counsellor', 'supervisor', 'admin'), async (_req, res) => {
    const list = (await d.counsellors.list()).filter((c) => c.status === 'available');
    res.json({ counsellors: list.map((c) => ({ id: c.id, name: c.name, skills: c.skills })) } satisfies AvailableCounsellorsResponse);
  });
  r.get('/api/counsellors', requireRole('supervisor', 'admin'), async (req, res) => {
    const who = principal(req);
    const live = d.calls.liveCalls();
    const list = (await d.counsellors.list()).filter((c) => visibleTo(who, c)).sort((a, b) => a.id.localeCompare(b.id));
    res.json({
      // The SIP endpoint stays inside the service.
      counsellors: list.map(({ endpoint: _endpoint, ...c }) => {
        const call = live.find((k) => k.counsellorId === c.id);
        return { ...c, currentCall: call ? { callId: call.callId, line: call.line, need: call.routing?.need ?? null } : null };
      }),
    } satisfies CounsellorListResponse);
  });
  r.post('/api/counsellors/:id/state', requireRole('supervisor', 'admin'), async (req, res) => {
    const who = principal(req);
    const id = String(req.params.id);
    const target = await d.counsellors.get(id);
    if (!target || !visibleTo(who, target)) throw new NotFoundError('no-such-counsellor', `no counsellor ${id}`);
    const body = stateBody.parse(req.body ?? {});
    const snapshot = await d.counsellors.apply(id, toEvent(body));
    await d.audit.append({ actor: who.userId, role: who.role, action: `counsellor-${body.action}`, target: id, data: { reason: body.reason } });
    res.json({ counsellor: snapshot } satisfies CounsellorStateResponse);
  });
  return r;
}
