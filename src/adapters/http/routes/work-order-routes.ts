import { Router } from 'express';
import type { WorkOrderService } from '../../../services/work-orders/work-order-service.ts';
import type { WorkOrderActionResponse, WorkOrderDetailResponse, WorkOrderListResponse } from '../../../wire/work-orders.ts';
import { principal, requireRole } from '../auth-middleware.ts';
import { OrderListQuery, PlatformActionBody } from '../case-bodies.ts';

/**
 * Work orders on the platform's side: the dispatcher's and supervisor's lists, an order with its
 * history, and their actions (dispatch, redispatch, review, follow-up, close, reopen, discard).
 * Who may send which action is the order machine's table: a counsellor closing gets 403.
 */
export function workOrderRoutes(d: { workOrders: WorkOrderService }): Router {
  const r = Router();
  r.get('/api/work-orders', requireRole('supervisor', 'admin'), async (req, res) => {
    const q = OrderListQuery.parse(req.query);
    const orders = await d.workOrders.list(principal(req), { ...(q.status ? { statuses: q.status } : {}), ...(q.centreId ? { centreId: q.centreId } : {}), limit: q.limit });
    res.json({ orders, now: d.workOrders.now() } satisfies WorkOrderListResponse);
  });
  r.get('/api/work-orders/:orderId', requireRole('counsellor', 'supervisor', 'admin'), async (req, res) => {
    res.json((await d.workOrders.detail(String(req.params.orderId), principal(req))) satisfies WorkOrderDetailResponse);
  });
  r.post('/api/work-orders/:orderId/actions', requireRole('counsellor', 'supervisor'), async (req, res) => {
    const action = PlatformActionBody.parse(req.body ?? {});
    const order = await d.workOrders.act(String(req.params.orderId), principal(req), action);
    res.json({ order } satisfies WorkOrderActionResponse);
  });
  return r;
}
