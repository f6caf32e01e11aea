/**
 * Server-sent events from /api/events. EventSource retries on its own after a dropped
 * connection; when the server answers with an error status it gives up (readyState CLOSED),
 * and then we open a new one after a growing delay. Every (re)open triggers `onOpen`, so the page
 * can re-fetch what it may have missed.
 */
import { parseEvent } from './events.ts';
import type { HotlineEvent } from '../../../src/wire/events.ts';

export interface LiveHandlers {
  onEvent(event: HotlineEvent): void;
  onOpen(reconnected: boolean): void;
  onDown(): void;
}

export interface LiveConnection {
  close(): void;
}

export function connectEvents(url: string, h: LiveHandlers): LiveConnection {
  let es: EventSource | null = null;
  let everOpened = false;
  let closed = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const open = (): void => {
    if (closed) return;
    es = new EventSource(url, { withCredentials: true });
    es.onopen = () => {
      failures = 0;
      h.onOpen(everOpened);
      everOpened = true;
    };
    es.onmessage = (m: MessageEvent<string>) => {
      const ev = parseEvent(m.data);
      if (ev) h.onEvent(ev);
    };
    es.onerror = () => {
      h.onDown();
      if (es && es.readyState === EventSource.CLOSED && !closed) {
        es = null;
        failures += 1;
        const delay = Math.min(15_000, 500 * 2 ** Math.min(failures, 5));
        retryTimer = setTimeout(open, delay);
      }
    };
  };
  open();

  return {
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      es?.close();
    },
  };
}
