import type { HotlineConfig } from '../../config/hotline-config.ts';
import { hasAllSkills } from '../../domain/routing/eligibility.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Jobs } from '../../ports/jobs.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { QueueStore } from '../../ports/queue-store.ts';

const LONG_WAIT_MS = 60_000;
const EVERY_MS = 2000;

/**
 * Raises supervisor alerts that no single event shows: a caller waiting too long, a need that no
 * signed-in counsellor can serve, and a callback nobody has claimed in time (the caller hung up
 * trusting us to ring back). Each alert is raised once per episode.
 */
export class QueueWatchdog {
  private timer: NodeJS.Timeout | null = null;
  private readonly raised = new Set<string>();

  constructor(private readonly d: { store: QueueStore; jobs: Pick<Jobs, 'pendingCallbacks'>; notifier: Notifier; config: HotlineConfig; clock: Clock }) {}

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
    await this.checkCallbacks(now, seen);
    for (const key of [...this.raised]) if (!seen.has(key)) this.raised.delete(key);
  }

  private async checkCallbacks(now: number, seen: Set<string>): Promise<void> {
    const overdueAfterMs = this.d.config.queue.callbackClaimAlertAfterMs;
    let pending: Awaited<ReturnType<Jobs['pendingCallbacks']>>;
    try {
      pending = await this.d.jobs.pendingCallbacks();
    } catch {
      // Unreadable now: keep the alerts already raised (no repeat, no false all-clear) and retry next round.
      for (const key of this.raised) if (key.startsWith('callback:')) seen.add(key);
      return;
    }
    for (const c of pending) {
      if (now - Date.parse(c.requestedAt) < overdueAfterMs) continue;
      const key = `callback:${c.jobId}`;
      seen.add(key);
      const minutes = Math.round(overdueAfterMs / 60_000);
      this.raise(key, 'warning', 'callback-overdue', `${c.routing.line} 线路「${c.routing.need}」的回拨请求已超过 ${minutes} 分钟无人认领`, c.callId);
    }
  }

  private raise(key: string, severity: 'warning' | 'critical', code: string, message: string, callId?: string): void {
    if (this.raised.has(key)) return;
    this.raised.add(key);
    this.d.notifier.publish({ type: 'alert', severity, code, message, ...(callId ? { callId } : {}) });
  }
}
