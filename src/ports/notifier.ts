import type { HotlineEvent } from '../wire/events.ts';

/**
 * Events the service publishes for live views (supervisor dashboard, counsellor console) and
 * for metrics. Published in-process; the HTTP layer pushes them over server-sent events. The
 * event shapes are part of the wire contract (src/wire/events.ts), shared with the pages.
 */
export type { HotlineEvent };

export interface Notifier {
  publish(event: HotlineEvent): void;
  subscribe(listener: (event: HotlineEvent) => void): () => void;
}

export class InProcessNotifier implements Notifier {
  private readonly listeners = new Set<(event: HotlineEvent) => void>();

  publish(event: HotlineEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A broken listener (a closed browser tab) must not affect calls.
      }
    }
  }

  subscribe(listener: (event: HotlineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
