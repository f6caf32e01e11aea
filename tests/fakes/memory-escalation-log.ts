import type { EscalationState } from '../../src/domain/escalation/escalation-machine.ts';
import type { EscalationLog } from '../../src/ports/escalation-log.ts';
import { jsonCopy } from './clone.ts';

type Row = { state: EscalationState; outcome: string | null; endedAt: string | null };
type Listed = EscalationState & { outcome: string | null; endedAt: string | null };

/**
 * Escalations in memory, upserted by id. `list` returns the same reduced shape as the PostgreSQL
 * adapter (route tried last as the only route, outcome falling back to the status).
 */
export class MemoryEscalationLog implements EscalationLog {
  private readonly rows = new Map<string, Row>();
  /** Every save in order, for tests that follow an escalation's progress. */
  readonly saves: Row[] = [];

  async save(state: EscalationState, outcome: string | null, endedAt: string | null): Promise<void> {
    const row = { state: jsonCopy(state), outcome: outcome ?? state.status, endedAt };
    this.rows.set(state.id, row);
    this.saves.push(jsonCopy(row));
  }

  async countSince(sinceIso: string): Promise<number> {
    const since = new Date(sinceIso).getTime();
    return [...this.rows.values()].filter((r) => new Date(r.state.startedAt).getTime() >= since).length;
  }

  async list(limit: number): Promise<Listed[]> {
    return [...this.rows.values()]
      .sort((a, b) => new Date(b.state.startedAt).getTime() - new Date(a.state.startedAt).getTime())
      .slice(0, limit)
      .map(({ state: s, outcome, endedAt }) => {
        const route = s.routes[s.attempt] ?? null;
        return {
          id: s.id, callId: s.callId, counsellorId: s.counsellorId || null, routes: route ? [route] : [], attempt: 0,
          status: (outcome ?? 'ended') as EscalationState['status'], legChannelId: null, startedAt: s.startedAt,
          connectedAt: s.connectedAt, attempts: jsonCopy(s.attempts), announce: false, outcome, endedAt,
        };
      });
  }
}
