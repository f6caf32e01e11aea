import type { EscalationState } from '../domain/escalation/escalation-machine.ts';

/** Every escalation: who, when, how long until the police were connected, and the outcome. */
export interface EscalationLog {
  save(state: EscalationState, outcome: string | null, endedAt: string | null): Promise<void>;
  countSince(sinceIso: string): Promise<number>;
  list(limit: number): Promise<Array<EscalationState & { outcome: string | null; endedAt: string | null }>>;
}
