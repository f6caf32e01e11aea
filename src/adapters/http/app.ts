import express, { type Router } from 'express';
import type { Logger } from '../../logger.ts';
import type { Sessions } from '../../ports/auth.ts';
import { authenticate } from './auth-middleware.ts';
import { errorHandler, noAutomaticOptions, notFound } from './http-errors.ts';
import { refuseNul } from './refuse-nul.ts';
import { contentSecurityPolicy, securityHeaders } from './security-headers.ts';

export interface HttpAppOptions {
  sessions: Sessions;
  routers: Router[];
  staticDir?: string;
  log: Logger;
  /** Origins the pages may connect to besides their own (the softphone's WebSocket). */
  connectSrc?: string[];
  /** Express "trust proxy": whose X-Forwarded-For / -Proto to believe for req.ip and req.secure. */
  trustProxy?: string;
}

/** The HTTP surface: JSON API, health probes and the static web pages. */
export function createHttpApp(opts: HttpAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (opts.trustProxy) app.set('trust proxy', trustValue(opts.trustProxy));
  app.use(securityHeaders(contentSecurityPolicy(opts.connectSrc)));
  app.use(express.json({ limit: '32kb' }));
  app.use(authenticate(opts.sessions));
  app.use(noAutomaticOptions);
  app.use(refuseNul);
  for (const r of opts.routers) app.use(r);
  if (opts.staticDir) app.use(express.static(opts.staticDir, { index: 'index.html' }));
  app.use(notFound);
  app.use(errorHandler(opts.log));
  return app;
}

/** "2" is a hop count, "true" trusts every proxy, anything else is a list of addresses or subnets. */
function trustValue(v: string): number | boolean | string {
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true') return true;
  return v;
}
