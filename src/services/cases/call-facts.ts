/**
 * What a call tells the case about its risk (escalated to 110, emergency key pressed) and who the
 * caller is, from whichever the service still has: the live call (during the call), the call
 * record (after it), the case already stored. Facts only ever add up: once escalated, always.
 */
import { callerKey } from '../../domain/cases/caller-key.ts';
import type { CallRiskFacts } from '../../domain/cases/risk-grade.ts';
import type { CallRecord } from '../../ports/call-records.ts';
import type { LiveCall } from '../../ports/live-calls.ts';

export function factsOfLiveCall(call: LiveCall, emergencyNeed: string | null): CallRiskFacts {
  return {
    escalated: Boolean(call.escalation) || call.outcome === 'escalated',
    emergencyKey: emergencyNeed !== null && call.routing?.need === emergencyNeed,
  };
}

export function factsOfRecord(record: CallRecord, emergencyNeed: string | null): CallRiskFacts {
  return { escalated: record.critical || record.outcome === 'escalated', emergencyKey: emergencyNeed !== null && record.need === emergencyNeed };
}

export function mergeFacts(...all: Array<CallRiskFacts | null | undefined>): CallRiskFacts {
  return {
    escalated: all.some((f) => f?.escalated === true),
    emergencyKey: all.some((f) => f?.emergencyKey === true),
  };
}

/** The keyed hash linking repeat callers, or null without a number or a secret. */
export function keyOf(number: string | null | undefined, secret: string | null): string | null {
  if (!secret || !number) return null;
  return callerKey(number, secret);
}
