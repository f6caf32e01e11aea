import type { LiveCall } from '../../ports/live-calls.ts';
import { startOfNode } from './pbx-nodes.ts';

const REMEMBER_LEFT_MS = 60_000;
const LEFT_BEFORE_DROP_MS = 15_000;

/**
 * What the call router knows of the PBX itself: whether the connection is up, when the PBX last
 * started, and who left shortly before the connection dropped. From that it tells a PBX restart
 * (callers cut off by the fault) from callers hanging up, and a request that failed because the
 * PBX went away from one that failed on its own.
 */
export class PbxLifecycle {
  private started: string | null = null;
  private connected = false;
  private droppedAt: number | null = null;
  private waiters: Array<() => void> = [];
  /** Callers who left while waiting or in the menus, oldest first (a Map keeps insertion order). */
  private readonly left = new Map<string, { call: LiveCall; at: number }>();

  constructor(private readonly now: () => number) {}

  /** The start time new calls remember. */
  get startedAt(): string | null {
    return this.started;
  }

  connectionUp(): void {
    this.connected = true;
  }

  connectionDown(): void {
    this.connected = false;
    this.droppedAt = this.now();
    this.waiters.splice(0).forEach((notify) => notify());
  }

  /**
   * The start time the resync read. Returns the callers who left in the seconds before the
   * connection dropped when it shows the PBX restarted since (a clean shutdown hangs everyone up
   * first), and forgets them either way once it has seen a restart.
   */
  observeStart(startedAt: string | null): LiveCall[] {
    const previous = this.started;
    if (startedAt) this.started = startedAt;
    if (!previous || this.started === previous) return [];
    const since = (this.droppedAt ?? this.now()) - LEFT_BEFORE_DROP_MS;
    const now = this.started ?? previous;
    // In a cluster only the callers of the node that restarted (or died) were cut off.
    const cutOff = [...this.left.values()]
      .filter((l) => l.at >= since && startOfNode(previous, l.call.callId) !== startOfNode(now, l.call.callId))
      .map((l) => l.call);
    this.left.clear();
    return cutOff;
  }

  /** Whether the PBX restarted under this call (it remembers another start time than now). */
  restartedUnder(call: LiveCall): boolean {
    return !!call.pbxStartedAt && !!this.started && startOfNode(call.pbxStartedAt, call.callId) !== startOfNode(this.started, call.callId);
  }

  /** A caller left while waiting or in the menus: kept a minute, in case the PBX was shutting down. */
  rememberLeft(call: LiveCall): void {
    const now = this.now();
    // Oldest first: pruning stops at the first entry still young, so a departure costs O(1) amortised.
    for (const [id, l] of this.left) {
      if (now - l.at <= REMEMBER_LEFT_MS) break;
      this.left.delete(id);
    }
    this.left.delete(call.callId);
    this.left.set(call.callId, { call, at: now });
  }

  /** True when the connection is down now or drops within `ms` (a failed request may come first). */
  goneWithin(ms: number): Promise<boolean> {
    if (!this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const notify = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((n) => n !== notify);
        resolve(false);
      }, ms);
      this.waiters.push(notify);
    });
  }
}
