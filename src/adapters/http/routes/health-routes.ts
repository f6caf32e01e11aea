import { Router } from 'express';

export interface ReadinessProbe {
  name: string;
  check(): Promise<boolean>;
}

/** /healthz: the process is alive. /readyz: it can take calls (ARI and Redis answer). */
export function healthRoutes(probes: ReadinessProbe[]): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      probes.map(async (p) => [p.name, await p.check().catch(() => false)] as const),
    );
    const ready = results.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks: Object.fromEntries(results) });
  });
  return r;
}
