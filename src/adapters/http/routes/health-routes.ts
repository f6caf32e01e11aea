import { Router } from 'express';

export interface ReadinessProbe {
  name: string;
  check(): Promise<boolean>;
  /** Calls go on without it: failing makes the service degraded (200), not unready (503). */
  optional?: boolean;
}

/** /healthz: the process is alive. /readyz: it can take calls (ARI and Redis answer); degraded if an optional part is down. */
export function healthRoutes(probes: ReadinessProbe[]): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      probes.map(async (p) => [p, await p.check().catch(() => false)] as const),
    );
    const ready = results.every(([p, ok]) => ok || p.optional);
    const status = !ready ? 'not-ready' : results.every(([, ok]) => ok) ? 'ready' : 'degraded';
    res.status(ready ? 200 : 503).json({ status, checks: Object.fromEntries(results.map(([p, ok]) => [p.name, ok])) });
  });
  return r;
}
