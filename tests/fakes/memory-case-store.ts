import { ConflictError } from '../../src/errors.ts';
import type { CaseCount, CaseRecord, CaseStore, CaseSubmission, DraftWrite, SubmitResult } from '../../src/ports/cases.ts';
import type { WorkOrderRecord } from '../../src/ports/work-orders.ts';
import { jsonCopy } from './clone.ts';
import { MemoryWorkOrderStore } from './memory-work-order-store.ts';

const iso = (v: string) => new Date(v).toISOString();

/**
 * Cases in memory with the PostgreSQL adapter's rules: one case per call, a draft until saved,
 * idempotent submissions, the order written with its case (all checks before any write, as one
 * transaction would), erasure of personal data after retention.
 */
export class MemoryCaseStore implements CaseStore {
  private readonly cases = new Map<string, CaseRecord>();
  private readonly keys = new Map<string, string>();
  readonly orders: MemoryWorkOrderStore;

  constructor(orders?: MemoryWorkOrderStore) {
    this.orders = orders ?? new MemoryWorkOrderStore((id) => this.cases.has(id));
  }

  private byCall(callId: string): CaseRecord | undefined {
    return [...this.cases.values()].find((c) => c.callId === callId);
  }

  async saveDraft(w: DraftWrite): Promise<CaseRecord> {
    const existing = this.byCall(w.callId);
    if (existing?.status === 'saved') throw new ConflictError('case-already-saved', `the case of call ${w.callId} is saved; it has no draft any more`);
    const d = jsonCopy(w.draft);
    const record: CaseRecord = {
      id: existing?.id ?? w.id, callId: w.callId, kind: 'counselled', status: 'draft', counsellorId: w.counsellorId, unansweredReason: null,
      categories: d.categories ?? [], grade: d.grade ?? null, summary: d.summary ?? null, area: d.area ?? null, consent: d.consent ?? null,
      orderRequested: d.orderRequested ?? false, facts: { ...w.facts },
      callerKey: existing ? existing.callerKey : w.callerKey, callerNumber: existing ? existing.callerNumber : w.callerNumber,
      createdAt: existing?.createdAt ?? iso(w.at), updatedAt: iso(w.at), savedAt: null, erasedAt: null,
    };
    this.cases.set(record.id, record);
    return jsonCopy(record);
  }

  async submit(s: CaseSubmission): Promise<SubmitResult> {
    const stored = this.byKey(s.idempotencyKey);
    if (stored) return stored;
    const existing = this.byCall(s.callId);
    if (existing?.status === 'saved') throw new ConflictError('case-already-saved', `the case of call ${s.callId} is saved already`);
    if (s.order && this.orders.hasOrder(s.order.id)) throw new ConflictError('order-exists', `work order ${s.order.id} exists already`);
    const form = s.kind === 'counselled' ? jsonCopy(s.form) : null;
    const record: CaseRecord = {
      id: existing?.id ?? s.id, callId: s.callId, kind: s.kind, status: 'saved',
      counsellorId: s.kind === 'counselled' ? s.counsellorId : null, unansweredReason: s.kind === 'unanswered' ? s.reason : null,
      categories: form?.categories ?? [], grade: form?.grade ?? null, summary: form?.summary ?? null, area: form?.area ?? null,
      consent: form?.consent ?? null, orderRequested: form?.orderRequested ?? false, facts: { ...s.facts },
      callerKey: s.callerKey, callerNumber: s.callerNumber,
      createdAt: existing?.createdAt ?? iso(s.at), updatedAt: iso(s.at), savedAt: iso(s.at), erasedAt: null,
    };
    this.cases.set(record.id, record);
    this.keys.set(s.idempotencyKey, record.id);
    const order: WorkOrderRecord | null = s.order ? this.orders.insertNew({ ...jsonCopy(s.order), caseId: record.id }, s.at) : null;
    return { case: jsonCopy(record), order: order ? jsonCopy(order) : null, created: true };
  }

  private byKey(key: string): SubmitResult | null {
    const id = this.keys.get(key);
    const record = id ? this.cases.get(id) : undefined;
    if (!record) return null;
    return { case: jsonCopy(record), order: this.firstOrderOf(record.id), created: false };
  }

  private firstOrderOf(caseId: string): WorkOrderRecord | null {
    return this.orders.ordersOfCase(caseId)[0] ?? null;
  }

  async get(caseId: string): Promise<CaseRecord | null> {
    const c = this.cases.get(caseId);
    return c ? jsonCopy(c) : null;
  }

  async getByCall(callId: string): Promise<CaseRecord | null> {
    const c = this.byCall(callId);
    return c ? jsonCopy(c) : null;
  }

  async list(q: { counsellorId?: string; status?: CaseRecord['status']; limit: number }): Promise<CaseRecord[]> {
    return [...this.cases.values()]
      .filter((c) => (q.counsellorId === undefined || c.counsellorId === q.counsellorId) && (q.status === undefined || c.status === q.status))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, q.limit)
      .map(jsonCopy);
  }

  async listByCaller(callerKey: string, limit: number): Promise<CaseRecord[]> {
    return [...this.cases.values()]
      .filter((c) => c.callerKey === callerKey)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, limit)
      .map(jsonCopy);
  }

  async countBy(q: { from: string; to: string }): Promise<CaseCount[]> {
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    const counts = new Map<string, CaseCount>();
    for (const c of this.cases.values()) {
      if (c.status !== 'saved' || c.savedAt === null) continue;
      const at = Date.parse(c.savedAt);
      if (at < from || at >= to) continue;
      for (const category of c.categories) {
        const city = c.area?.city ?? null;
        const key = JSON.stringify([category, c.grade, city]);
        const count = counts.get(key) ?? { category, grade: c.grade, city, cases: 0 };
        count.cases++;
        counts.set(key, count);
      }
    }
    const nullsLast = <T extends string | number>(a: T | null, b: T | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
    return [...counts.values()].sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0) || nullsLast(a.grade, b.grade) || nullsLast(a.city, b.city));
  }

  async eraseExpired(before: string, at: string): Promise<number> {
    const cutoff = Date.parse(before);
    const due = [...this.cases.values()].filter((c) => c.erasedAt === null && Date.parse(c.createdAt) < cutoff).map((c) => c.id);
    return this.eraseCases(due, at).length;
  }

  /** Erases these cases' personal data (and their orders' texts) now; returns their call ids (MemoryPersonalData). */
  eraseCases(caseIds: readonly string[], at: string): string[] {
    const erased = new Set<string>();
    const callIds: string[] = [];
    for (const id of caseIds) {
      const c = this.cases.get(id);
      if (!c) continue;
      c.summary = null;
      c.callerNumber = null;
      c.callerKey = null;
      if (c.area) c.area = { city: c.area.city, county: null };
      c.erasedAt ??= iso(at);
      c.updatedAt = iso(at);
      erased.add(c.id);
      callIds.push(c.callId);
    }
    this.orders.eraseTexts(erased);
    return callIds;
  }
}
