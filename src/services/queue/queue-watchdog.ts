import type { HotlineConfig } from '../../config/hotline-config.ts';
import { hasAllSkills } from '../../domain/routing/eligibility.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { QueueStore } from '../../ports/queue-store.ts';

const LONG_WAIT_MS = 60_000;
const EVERY_MS = 2000;

/**
 * Raises supervisor alerts that no single event shows: a caller waiting too long, and a need
 * that no signed-in counsellor can serve. Each alert is raised once per episode.
 */
export class QueueWatchdog {
  private timer: NodeJS.Timeout | null = null;
  private readonly raised = new Set<string>();

  constructor(private readonly d: { store: QueueStore; notifier: Notifier; config: HotlineConfig; clock: Clock }) {}

  start(): void {
    this.timer = setInterval(() => void this.check().catch(() => undefined), EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async check(): Promise<void> {
    const now = this.d.clock.now().getTime();
    const [callers, counsellors] = await Promise.all([this.d.store.listCallers(), this.d.store.listCounsellors()]);
    const seen = new Set<string>();
    for (const c of callers) {
      if (now - c.enqueuedAt < LONG_WAIT_MS) continue;
      const key = `wait:${c.callId}`;
      seen.add(key);
      this.raise(key, 'warning', 'long-wait', `${c.line} 线路的「${c.need}」来电已等待超过 ${LONG_WAIT_MS / 1000} 秒`, c.callId);
    }
    const signedIn = counsellors.filter((c) => c.status !== 'offline');
    for (const [id, target] of Object.entries(this.d.config.targets)) {
      if (signedIn.some((c) => hasAllSkills(c.skills, target.skills))) continue;
      const key = `staff:${id}`;
      seen.add(key);
      this.raise(key, 'warning', 'no-qualified-counsellor', `目前没有能接听「${target.need}」来电的咨询员在线`);
    }
    for (const key of [...this.raised]) if (!seen.has(key)) this.raised.delete(key);
  }

  private raise(key: string, severity: 'warning' | 'critical', code: string, message: string, callId?: string): void {
    if (this.raised.has(key)) return;
    this.raised.add(key);
    this.d.notifier.publish({ type: 'alert', severity, code, message, ...(callId ? { callId } : {}) });
  }
}
