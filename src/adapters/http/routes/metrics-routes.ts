import { Router } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CounsellorStatus } from '../../../domain/routing/types.ts';
import type { Notifier } from '../../../ports/notifier.ts';
import type { QueueStore } from '../../../ports/queue-store.ts';

const STATUSES: CounsellorStatus[] = ['offline', 'available', 'offered', 'on-call', 'wrap-up', 'paused'];

/** Prometheus metrics: read from live state at scrape time, plus counters fed by events. */
export class HotlineMetrics {
  readonly registry = new Registry();
  readonly waitSeconds: Histogram;
  readonly escalations: Counter;

  constructor(store: QueueStore, probes: { ari: () => boolean; redis: () => boolean }, notifier: Notifier) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hotline_process_' });
    const r = this.registry;
    new Gauge({
      name: 'hotline_waiting_callers', help: 'Callers waiting in the queue', registers: [r],
      async collect() {
        this.set((await store.listCallers()).length);
      },
    });
    new Gauge({
      name: 'hotline_counsellors', help: 'Counsellors by state', labelNames: ['state'], registers: [r],
      async collect() {
        const list = await store.listCounsellors();
        for (const s of STATUSES) this.set({ state: s }, list.filter((c) => c.status === s).length);
      },
    });
    new Gauge({ name: 'hotline_ari_connected', help: '1 when the ARI event stream is up', registers: [r], collect() { this.set(probes.ari() ? 1 : 0); } });
    new Gauge({ name: 'hotline_redis_connected', help: '1 when Redis is ready', registers: [r], collect() { this.set(probes.redis() ? 1 : 0); } });
    this.waitSeconds = new Histogram({
      name: 'hotline_wait_seconds', help: 'Time from queue entry to a counsellor answering', registers: [r],
      buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    });
    this.escalations = new Counter({ name: 'hotline_escalations_total', help: 'Escalations to 110 started', registers: [r] });
    notifier.subscribe((e) => {
      if (e.type === 'escalation' && e.state === 'dialling') this.escalations.inc();
    });
  }

  routes(): Router {
    const router = Router();
    router.get('/metrics', async (_req, res) => {
      res.setHeader('content-type', this.registry.contentType);
      res.send(await this.registry.metrics());
    });
    return router;
  }
}
