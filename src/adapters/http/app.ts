import express, { type Router } from 'express';
import type { Logger } from '../../logger.ts';
import type { Sessions } from '../../ports/auth.ts';
import { authenticate } from './auth-middleware.ts';
import { errorHandler, noAutomaticOptions, notFound } from './http-errors.ts';
import { refuseNul } from './refuse-nul.ts';

/** The HTTP surface: JSON API, health probes and the static web pages. */
export function createHttpApp(opts: { sessions: Sessions; routers: Router[]; staticDir?: string; log: Logger }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '32kb' }));
  app.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });
  app.use(authenticate(opts.sessions));
  app.use(noAutomaticOptions);
  app.use(refuseNul);
  for (const r of opts.routers) app.use(r);
  if (opts.staticDir) app.use(express.static(opts.staticDir, { index: 'index.html' }));
  app.use(notFound);
  app.use(errorHandler(opts.log));
  return app;
}
