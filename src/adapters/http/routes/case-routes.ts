import { Router } from 'express';
import type { CaseService } from '../../../services/cases/case-service.ts';
import type { WorkOrderService } from '../../../services/work-orders/work-order-service.ts';
import type {
  CallCaseResponse, CallerHistoryResponse, CaseListResponse, CaseResponse, EraseCallerResponse, CaseSettingsResponse, DraftResponse, RepeatCallerResponse, SubmitCaseResponse,
} from '../../../wire/cases.ts';
import type { CreateOrderResponse } from '../../../wire/work-orders.ts';
import { caseView } from '../../../services/cases/case-views.ts';
import { principal, requireRole } from '../auth-middleware.ts';
import { CaseDraftBody, CaseListQuery, EraseCallerBody, SubmitCaseBody } from '../case-bodies.ts';

/**
 * The case form of a call (counsellor at wrap-up, or a supervisor), repeat callers, cases and
 * ordering an order for a saved case. Counsellors reach only their own calls and cases (404 otherwise).
 */
export function caseRoutes(d: { cases: CaseService; workOrders: WorkOrderService }): Router {
  const r = Router();
  r.get('/api/cases/settings', requireRole('counsellor', 'supervisor', 'admin', 'centre'), (_req, res) => {
    res.json(d.cases.settings() satisfies CaseSettingsResponse);
  });
  // A counsellor's own cases (`?status=draft`: forms left unsaved when wrap-up ran out); supervisors anyone's.
  r.get('/api/cases', requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
    const q = CaseListQuery.parse(req.query);
    res.json((await d.cases.list(principal(req), q)) satisfies CaseListResponse);
  });
  r.get('/api/cases/by-call/:callId', requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
    res.json((await d.cases.forCall(String(req.params.callId), principal(req))) satisfies CallCaseResponse);
  });
  r.put('/api/cases/by-call/:callId/draft', requireRole('counsellor', 'supervisor'), async (req, res) => {
    const draft = CaseDraftBody.parse(req.body ?? {});
    const saved = await d.cases.saveDraft(String(req.params.callId), principal(req), draft);
    res.json({ case: caseView(saved) } satisfies DraftResponse);
  });
  r.post('/api/cases/by-call/:callId/submit', requireRole('counsellor', 'supervisor'), async (req, res) => {
    const body = SubmitCaseBody.parse(req.body ?? {});
    const result = await d.cases.submit(String(req.params.callId), principal(req), body);
    res.status(result.created ? 201 : 200).json(result satisfies SubmitCaseResponse);
  });
  r.get('/api/cases/by-call/:callId/repeat-caller', requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
    res.json((await d.cases.repeatCaller(String(req.params.callId), principal(req))) satisfies RepeatCallerResponse);
  });
  r.get('/api/cases/:caseId', requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
    res.json((await d.cases.get(String(req.params.caseId), principal(req))) satisfies CaseResponse);
  });
  // A person's whole history with the hotline: supervisors only, audited.
  r.get('/api/cases/:caseId/caller-history', requireRole('supervisor', 'admin'), async (req, res) => {
    res.json((await d.cases.callerHistory(String(req.params.caseId), principal(req))) satisfies CallerHistoryResponse);
  });
  // A caller's request to erase their data (PIPL): supervisors, audited with the reason.
  r.post('/api/cases/:caseId/erase-caller', requireRole('supervisor', 'admin'), async (req, res) => {
    const { reason } = EraseCallerBody.parse(req.body ?? {});
    res.json((await d.cases.eraseCaller(String(req.params.caseId), principal(req), reason)) satisfies EraseCallerResponse);
  });
  r.post('/api/cases/:caseId/orders', requireRole('counsellor', 'supervisor'), async (req, res) => {
    const result = await d.workOrders.createForCase(String(req.params.caseId), principal(req));
    res.status(result.created ? 201 : 200).json(result satisfies CreateOrderResponse);
  });
  return r;
}
