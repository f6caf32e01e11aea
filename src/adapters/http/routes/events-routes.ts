import { Router } from 'express';
import type { Notifier } from '../../../ports/notifier.ts';
import { requireRole } from '../auth-middleware.ts';

/** Live updates as server-sent events; the pages re-fetch what an event names. */
export function eventsRoutes(notifier: Notifier): Router {
  const r = Router();
  r.get('/api/events', requireRole('counsellor', 'supervisor', 'admin'), (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    const unsubscribe = notifier.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
  return r;
}
