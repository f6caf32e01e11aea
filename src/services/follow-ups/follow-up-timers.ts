/**
 * The due times of follow-up attempts (回访) as durable delayed jobs (BullMQ), one per attempt with
 * a deterministic id, so scheduling twice makes one job. `reconcile` plans follow-ups for newly
 * saved cases, rebuilds the jobs from the database (at start, every `sweepEveryMs`, after Redis
 * lost its data) and runs those whose time the clock has passed. A job firing asks the dialler to
 * make the call; an attempt no counsellor could take yet is tried again at the next sweep.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../ports/clock.ts';
import type { FollowUpRecord, FollowUpTimer, FollowUpTimerQueue } from '../../ports/follow-ups.ts';
import { rebuildDelayedJobs } from '../jobs/rebuild-delayed-jobs.ts';

export function followUpTimer(f: Pick<FollowUpRecord, 'id' | 'dueAt'>): FollowUpTimer {
  return { id: `fu-${f.id.replace(/[^A-Za-z0-9_-]/g, '_')}-${new Date(f.dueAt).getTime()}`, followUpId: f.id, fireAt: f.dueAt };
}

export interface FollowUpSweep {
  /** Plans attempt 1 for saved cases that want a follow-up and have none. */
  planNew(): Promise<number>;
  /** Attempts without an outcome. */
  open(): Promise<FollowUpRecord[]>;
  /** Tries to make a due attempt now (a counsellor free, nobody waiting). */
  dialIfDue(followUpId: string): Promise<void>;
}

export class FollowUpTimers {
  private interval: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly d: { queue: FollowUpTimerQueue; sweep: FollowUpSweep; clock: Clock; log: Logger }) {}

  async schedule(f: Pick<FollowUpRecord, 'id' | 'dueAt'>): Promise<void> {
    await this.d.queue.schedule([followUpTimer(f)], this.d.clock.now());
  }

  /** One pass: plan, rebuild missing jobs, run the passed ones, and try every due attempt. */
  async reconcile(): Promise<{ planned: number; open: number; added: number; promoted: number }> {
    const planned = await this.d.sweep.planNew();
    const now = this.d.clock.now();
    const open = (await this.d.sweep.open()).filter((f) => f.dialResult !== 'connected');
    const { added, promoted } = await rebuildDelayedJobs(this.d.queue, open.map(followUpTimer), now);
    // A job that ran while nobody was free has completed: the attempt is still due, tried here.
    for (const f of open) if (new Date(f.dueAt).getTime() <= now.getTime()) await this.d.sweep.dialIfDue(f.id);
    const result = { planned, open: open.length, added, promoted };
    if (planned > 0 || added > 0) this.d.log.info(result, 'follow-up timers reconciled');
    return result;
  }

  async start(everyMs: number): Promise<void> {
    this.d.queue.process((id) => this.d.sweep.dialIfDue(id));
    await this.pass();
    this.interval = setInterval(() => void this.pass(), everyMs);
    this.interval.unref();
  }

  /** One pass at a time: a slow one is not overlapped by the next. */
  private async pass(): Promise<void> {
    if (this.running) return;
    this.running = this.reconcile().catch((err: unknown) => this.d.log.warn({ err }, 'follow-ups: reconcile failed; retried later'));
    await this.running;
    this.running = null;
  }

  async stop(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    await this.running;
    await this.d.queue.close();
  }
}
