import type { CaseStore } from '../../src/ports/cases.ts';
import type { DialResult, FollowUpCaseCandidate, FollowUpOrderCandidate, FollowUpRecord, FollowUpStore, NewFollowUp } from '../../src/ports/follow-ups.ts';
import type { WorkOrderStore } from '../../src/ports/work-orders.ts';
import type { AttemptOutcome } from '../../src/domain/follow-ups/follow-up-outcome.ts';

/** Follow-up attempts in memory, with the PostgreSQL store's rules (one open attempt per case; take's guards). */
export class MemoryFollowUpStore implements FollowUpStore {
  readonly rows = new Map<string, FollowUpRecord>();

  constructor(private readonly cases: Pick<CaseStore, 'list' | 'get'>, private readonly orders: Pick<WorkOrderStore, 'list' | 'events'>) {}

  async unplannedOrders(limit: number): Promise<FollowUpOrderCandidate[]> {
    const out: FollowUpOrderCandidate[] = [];
    for (const o of await this.orders.list({ statuses: ['awaiting-follow-up'], limit: 10_000 })) {
      const since = (await this.orders.events(o.id)).filter((e) => e.type === 'approve-reply').map((e) => e.at).sort().at(-1);
      const c = await this.cases.get(o.caseId);
      if (!since || !c || c.status !== 'saved' || c.grade === null || !c.savedAt || c.erasedAt || !c.callerNumber) continue;
      const attempts = [...this.rows.values()].filter((r) => r.caseId === c.id);
      if (attempts.some((f) => f.outcome === null || f.outcome === 'declined' || f.createdAt >= since || (f.endedAt !== null && f.endedAt >= since))) continue;
      out.push({
        orderId: o.id, caseId: c.id, grade: c.grade, consented: c.consent?.followUpCall === true, escalated: c.facts.escalated, savedAt: c.savedAt,
        awaitingSince: since, lastAttempt: Math.max(0, ...attempts.map((f) => f.attempt)),
      });
    }
    return out.slice(0, limit);
  }

  async unplannedCases(limit: number): Promise<FollowUpCaseCandidate[]> {
    const saved = await this.cases.list({ status: 'saved', limit: 10_000 });
    const planned = new Set([...this.rows.values()].map((r) => r.caseId));
    return saved
      .filter((c) => c.grade !== null && c.savedAt !== null && !c.erasedAt && c.callerNumber && !planned.has(c.id))
      .filter((c) => c.consent?.followUpCall === true || (c.grade === 1 && c.facts.escalated))
      .slice(0, limit)
      .map((c) => ({ caseId: c.id, grade: c.grade ?? 4, consented: c.consent?.followUpCall === true, escalated: c.facts.escalated, savedAt: c.savedAt ?? '' }));
  }

  async add(f: NewFollowUp): Promise<boolean> {
    const all = [...this.rows.values()];
    if (this.rows.has(f.id) || all.some((r) => r.caseId === f.caseId && (r.outcome === null || r.attempt === f.attempt))) return false;
    this.rows.set(f.id, {
      ...f, orderId: f.orderId ?? null, startedAt: null, endedAt: null, counsellorId: null, callId: null, dialResult: null, leaseUntil: null,
      outcome: null, satisfied: null, recordedBy: null, alertedAt: null,
    });
    return true;
  }

  async get(id: string): Promise<FollowUpRecord | null> {
    const r = this.rows.get(id);
    return r ? { ...r } : null;
  }

  async open(limit: number): Promise<FollowUpRecord[]> {
    return [...this.rows.values()].filter((r) => r.outcome === null).sort((a, b) => a.dueAt.localeCompare(b.dueAt)).slice(0, limit).map((r) => ({ ...r }));
  }

  async recent(limit: number): Promise<FollowUpRecord[]> {
    return [...this.rows.values()].filter((r) => r.outcome !== null).sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? '')).slice(0, limit).map((r) => ({ ...r }));
  }

  async attemptsOf(caseId: string): Promise<FollowUpRecord[]> {
    return [...this.rows.values()].filter((r) => r.caseId === caseId).sort((a, b) => a.attempt - b.attempt).map((r) => ({ ...r }));
  }

  async take(id: string, counsellorId: string, at: string, leaseUntil: string): Promise<FollowUpRecord | null> {
    const r = this.rows.get(id);
    const c = r ? await this.cases.get(r.caseId) : null;
    if (!r || !c || r.outcome !== null || r.dueAt > at || r.dialResult === 'connected' || (r.leaseUntil !== null && r.leaseUntil > at)) return null;
    if (c.erasedAt || !c.callerNumber || [...this.rows.values()].some((x) => x.caseId === r.caseId && x.outcome === 'declined')) return null;
    Object.assign(r, { startedAt: at, counsellorId, leaseUntil, dialResult: null });
    return { ...r };
  }

  async dialled(id: string, result: DialResult, callId: string | null, at: string): Promise<void> {
    const r = this.rows.get(id);
    if (!r || r.outcome !== null) return;
    Object.assign(r, { dialResult: result, callId: callId ?? r.callId, leaseUntil: null, endedAt: result === 'counsellor-no-answer' ? r.endedAt : at });
  }

  async finish(id: string, o: { outcome: AttemptOutcome; satisfied: boolean | null; orderId: string | null; recordedBy: string; at: string }): Promise<FollowUpRecord | null> {
    const r = this.rows.get(id);
    if (!r || r.outcome !== null) return null;
    Object.assign(r, { outcome: o.outcome, satisfied: o.satisfied, orderId: o.orderId ?? r.orderId, recordedBy: o.recordedBy, endedAt: r.endedAt ?? o.at, leaseUntil: null });
    return { ...r };
  }

  async markAlerted(id: string, at: string): Promise<void> {
    const r = this.rows.get(id);
    if (r) r.alertedAt = at;
  }
}
