import { Router } from 'express';
import type { Principal } from '../../../ports/auth.ts';
import type { HotlineEvent, Notifier } from '../../../ports/notifier.ts';
import { principal, requireRole } from '../auth-middleware.ts';

/** Centre staff get only their own centre's work-order events; everyone else every event. */
const visibleTo = (who: Principal) => (e: HotlineEvent): boolean => who.role !== 'centre' || (e.type === 'work-order' && e.centreId === who.centreId);

/** Live updates as server-sent events; the pages re-fetch what an event names. */
export function eventsRoutes(notifier: Notifier): Router {
  const r = Router();
  r.get('/api/events', requireRole('counsellor', 'supervisor', 'admin', 'centre'), (req, res) => {
    const visible = visibleTo(principal(req));
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    const unsubscribe = notifier.subscribe((event) => {
      if (visible(event)) res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
  return r;
}
