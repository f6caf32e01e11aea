/** Pending callbacks as table rows, for the supervisor dashboard and the counsellor console alike. */
import { languageLabel, lineLabel, needLabel } from './labels.ts';
import type { PendingCallback } from '../../../src/wire/callbacks.ts';

export interface CallbackRow {
  jobId: string;
  callerNumber: string;
  line: string;
  need: string;
  language: string;
  /** The original queue entry (ms): the row's clock runs from it. */
  enqueuedAt: number;
}

/** Oldest original queue entry first: callbacks keep the place the caller had. */
export function callbackRows(callbacks: readonly PendingCallback[]): CallbackRow[] {
  return [...callbacks]
    .sort((a, b) => a.enqueuedAt - b.enqueuedAt)
    .map((c) => ({
      jobId: c.jobId,
      callerNumber: c.callerNumber,
      line: lineLabel(c.routing.line ?? 'main'),
      need: needLabel(c.routing.need ?? 'general'),
      language: languageLabel(c.routing.language ?? 'cmn'),
      enqueuedAt: c.enqueuedAt,
    }));
}
