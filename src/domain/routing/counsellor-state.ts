/**
 * The counsellor state machine, pure: `transition(snapshot, event, now, settings)` returns the next
 * snapshot and the effects the service must carry out, or a typed error for an event that is not
 * valid in the current status. Nothing here throws, reads a clock or does I/O.
 *
 *   offline --login--> available --offer--> offered --answer--> on-call --call-ended--> wrap-up
 *   offered --no-answer / offer-withdrawn--> available (paused 'no-answer' after N misses in a row)
 *   wrap-up --wrap-up-elapsed / resume--> available;  available|wrap-up --pause--> paused --resume--> available
 *   available|offered|paused|wrap-up --logout--> offline
 *
 * SIP registration is tracked in `registered` in every status. Losing it pauses a counsellor who
 * could otherwise be rung (reason 'registration-lost', an offer is withdrawn), lets a call or
 * wrap-up run on, and makes the counsellor paused rather than available when they next would be;
 * regaining it makes a counsellor paused for 'registration-lost' available again.
 */
import type {
  CounsellorEffect,
  CounsellorEvent,
  CounsellorSettings,
  TransitionError,
  TransitionResult,
} from './counsellor-events.ts';
import { AUTO_PAUSE_REASONS } from './types.ts';
import type { CounsellorProfile, CounsellorSnapshot, CounsellorStatus } from './types.ts';

/** A logged-out counsellor, as loaded from the roster. */
export function newCounsellorSnapshot(profile: CounsellorProfile, now: number, registered = false): CounsellorSnapshot {
  return {
    ...profile,
    status: 'offline',
    statusSince: now,
    lastCallEndedAt: null,
    lastOfferedAt: null,
    callsToday: 0,
    missedInARow: 0,
    pauseReason: null,
    callId: null,
    registered,
  };
}

const WITH_CALL: ReadonlySet<CounsellorStatus> = new Set(['offered', 'on-call', 'wrap-up']);

/** The snapshot in `status` (statusSince moves only when the status changes), keeping the invariants. */
function enter(
  s: CounsellorSnapshot,
  status: CounsellorStatus,
  now: number,
  patch: Partial<CounsellorSnapshot> = {},
): CounsellorSnapshot {
  const next: CounsellorSnapshot = { ...s, ...patch, status, statusSince: status === s.status ? s.statusSince : now };
  if (status !== 'paused') next.pauseReason = null;
  if (!WITH_CALL.has(status)) next.callId = null;
  return next;
}

function ok(snapshot: CounsellorSnapshot, effects: CounsellorEffect[] = []): TransitionResult {
  return { ok: true, snapshot, effects };
}

function fail(error: TransitionError): TransitionResult {
  return { ok: false, error };
}

/** Ready for calls: available if the softphone is registered, otherwise paused until it is. */
function ready(
  s: CounsellorSnapshot,
  now: number,
  effects: CounsellorEffect[] = [],
  patch: Partial<CounsellorSnapshot> = {},
): TransitionResult {
  if (!s.registered) {
    return ok(enter(s, 'paused', now, { ...patch, pauseReason: AUTO_PAUSE_REASONS.registrationLost }), effects);
  }
  return ok(enter(s, 'available', now, patch), [...effects, { type: 'became-available' }]);
}

/** The event is about another call than the one on offer: a late or misrouted event. */
function callMismatch(s: CounsellorSnapshot, event: CounsellorEvent): TransitionError | null {
  if (!('callId' in event) || event.callId === undefined || event.callId === s.callId) return null;
  return { code: 'call-mismatch', event: event.type, expected: s.callId, actual: event.callId };
}

/** The offer of `s.callId` (status 'offered') as an effect-sized call id. */
function offeredCall(s: CounsellorSnapshot): string {
  return s.callId ?? '';
}

/**
 * Applies one event to a counsellor. Returns `{ ok: true, snapshot, effects }`, or
 * `{ ok: false, error }` with `invalid-transition` when the event is not allowed in the current
 * status, or `call-mismatch` when an answer/no-answer/offer-withdrawn/call-ended names another call.
 */
export function transition(
  s: CounsellorSnapshot,
  event: CounsellorEvent,
  now: number,
  settings: CounsellorSettings,
): TransitionResult {
  const from = s.status;
  const invalid = (): TransitionResult => fail({ code: 'invalid-transition', from, event: event.type });
  switch (event.type) {
    case 'login':
      return from === 'offline' ? ready(s, now, [], { missedInARow: 0 }) : invalid();
    case 'logout':
      if (from === 'available' || from === 'paused') return ok(enter(s, 'offline', now));
      if (from === 'offered') return ok(enter(s, 'offline', now), [{ type: 'withdraw-offer', callId: offeredCall(s) }]);
      if (from === 'wrap-up') return ok(enter(s, 'offline', now), [{ type: 'cancel-wrap-up-timer' }]);
      return invalid();
    case 'pause':
      if (from === 'available') return ok(enter(s, 'paused', now, { pauseReason: event.reason }));
      if (from === 'wrap-up') {
        return ok(enter(s, 'paused', now, { pauseReason: event.reason }), [{ type: 'cancel-wrap-up-timer' }]);
      }
      return invalid();
    case 'resume':
      if (from === 'paused') return ready(s, now, [], { missedInARow: 0 });
      if (from === 'wrap-up') return ready(s, now, [{ type: 'cancel-wrap-up-timer' }]);
      return invalid();
    case 'offer':
      if (from !== 'available') return invalid();
      return ok(enter(s, 'offered', now, { callId: event.callId, lastOfferedAt: now }));
    case 'answer':
    case 'no-answer':
    case 'offer-withdrawn': {
      if (from !== 'offered') return invalid();
      const mismatch = callMismatch(s, event);
      if (mismatch !== null) return fail(mismatch);
      if (event.type === 'answer') {
        return ok(enter(s, 'on-call', now, { missedInARow: 0, callsToday: s.callsToday + 1 }));
      }
      if (event.type === 'offer-withdrawn') return ready(s, now);
      return missed(s, now, settings);
    }
    case 'call-ended': {
      if (from !== 'on-call') return invalid();
      const mismatch = callMismatch(s, event);
      if (mismatch !== null) return fail(mismatch);
      if (settings.wrapUpMs > 0) {
        return ok(enter(s, 'wrap-up', now, { lastCallEndedAt: now }), [
          { type: 'start-wrap-up-timer', ms: settings.wrapUpMs },
        ]);
      }
      return ready(s, now, [], { lastCallEndedAt: now });
    }
    case 'wrap-up-elapsed':
      return from === 'wrap-up' ? ready(s, now) : invalid();
    case 'registration-lost':
      return registrationLost(s, now);
    case 'registration-restored':
      if (s.registered) return ok(s);
      if (from === 'paused' && s.pauseReason === AUTO_PAUSE_REASONS.registrationLost) {
        return ready({ ...s, registered: true }, now);
      }
      return ok({ ...s, registered: true });
  }
}

/** An unanswered offer: count it, and pause the counsellor once too many were missed in a row. */
function missed(s: CounsellorSnapshot, now: number, settings: CounsellorSettings): TransitionResult {
  const missedInARow = s.missedInARow + 1;
  const effects: CounsellorEffect[] = [{ type: 'offer-missed', callId: offeredCall(s) }];
  if (settings.maxMissedBeforePause > 0 && missedInARow >= settings.maxMissedBeforePause) {
    const snapshot = enter(s, 'paused', now, { missedInARow, pauseReason: AUTO_PAUSE_REASONS.noAnswer });
    return ok(snapshot, [...effects, { type: 'auto-paused', reason: 'no-answer' }]);
  }
  return ready(s, now, effects, { missedInARow });
}

function registrationLost(s: CounsellorSnapshot, now: number): TransitionResult {
  if (!s.registered) return ok(s);
  const lost = { ...s, registered: false };
  const pauseReason = AUTO_PAUSE_REASONS.registrationLost;
  if (s.status === 'available') return ok(enter(lost, 'paused', now, { pauseReason }));
  if (s.status === 'offered') {
    return ok(enter(lost, 'paused', now, { pauseReason }), [{ type: 'withdraw-offer', callId: offeredCall(s) }]);
  }
  return ok(lost);
}
