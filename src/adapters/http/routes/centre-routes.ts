import { Router } from 'express';
import { z } from 'zod';
import type { WorkOrderService } from '../../../services/work-orders/work-order-service.ts';
import type {
  CentreOrderAction, RevealOrderNumberResponse, WorkOrderActionResponse, WorkOrderDetailResponse, WorkOrderListResponse,
} from '../../../wire/work-orders.ts';
import { principal, requireRole } from '../auth-middleware.ts';
import { CentreActionBody, OrderListQuery } from '../case-bodies.ts';

const CentreListQuery = OrderListQuery.omit({ centreId: true });

/**
 * The centre page (role `centre`): the centre's own orders only (another centre's order is 404),
 * 签收 / 办理 / 回复 / 退单, and the caller's number where the caller agreed to be contacted (audited).
 */
export function centreRoutes(d: { workOrders: WorkOrderService }): Router {
  const r = Router();
  r.get('/api/centre/orders', requireRole('centre'), async (req, res) => {
    const q = CentreListQuery.parse(req.query);
    const orders = await d.workOrders.list(principal(req), { ...(q.status ? { statuses: q.status } : {}), limit: q.limit });
    res.json({ orders, now: d.workOrders.now() } satisfies WorkOrderListResponse);
  });
  r.get('/api/centre/orders/:orderId', requireRole('centre'), async (req, res) => {
    res.json((await d.workOrders.detail(String(req.params.orderId), principal(req))) satisfies WorkOrderDetailResponse);
  });
  r.post('/api/centre/orders/:orderId/actions', requireRole('centre'), async (req, res) => {
    const action: CentreOrderAction = CentreActionBody.parse(req.body ?? {});
    const order = await d.workOrders.act(String(req.params.orderId), principal(req), action);
    res.json({ order } satisfies WorkOrderActionResponse);
  });
  r.post('/api/centre/orders/:orderId/reveal-number', requireRole('centre'), async (req, res) => {
    z.object({}).strict().parse(req.body ?? {});
    const callerNumber = await d.workOrders.revealNumber(String(req.params.orderId), principal(req));
    res.json({ callerNumber } satisfies RevealOrderNumberResponse);
  });
  return r;
}
