/**
 * Cases (个案) after each call: opened when the call ends (a pending wrap-up form for an answered
 * call, a case without form for an abandoned call or a callback request), drafts kept whenever the
 * counsellor saves them (during the call or the wrap-up; never lost when wrap-up runs out), the
 * form checked by the domain's rules and saved once per idempotency key, with the work order the
 * form or the grade asks for in the same transaction. Repeat callers are linked by a keyed hash.
 */
import type { Logger } from 'pino';
import type { CasesConfig } from '../../config/cases-config.ts';
import type { CentresConfig } from '../../config/centres-config.ts';
import { caseRules, centreProfiles } from '../../config/work-order-setup.ts';
import { checkCaseForm, checkDraft, type CaseDraft, type CaseFieldError, type UnansweredReason } from '../../domain/cases/case-form.ts';
import { gradeFloor, suggestedGrade, type CallRiskFacts } from '../../domain/cases/risk-grade.ts';
import { orderForCase } from '../../domain/work-orders/order-for-case.ts';
import { FINAL_STATUSES } from '../../domain/work-orders/order-rules.ts';
import { ConflictError, HotlineError, NotFoundError } from '../../errors.ts';
import type { AuditLog, Principal } from '../../ports/auth.ts';
import type { CallOutcome, CallRecords } from '../../ports/call-records.ts';
import type { CaseRecord, CaseStore } from '../../ports/cases.ts';
import type { Clock } from '../../ports/clock.ts';
import type { LiveCall, LiveCalls } from '../../ports/live-calls.ts';
import type { PersonalDataEraser } from '../../ports/personal-data.ts';
import type {
  CallCaseResponse, CallerHistoryResponse, CaseListResponse, CaseResponse, EraseCallerResponse, CaseSettingsResponse, RepeatCallerResponse, SubmitCaseResponse,
} from '../../wire/cases.ts';
import type { WorkOrderService } from '../work-orders/work-order-service.ts';
import { factsOfLiveCall, factsOfRecord, keyOf, mergeFacts } from './call-facts.ts';
import { caseView } from './case-views.ts';

export interface CaseSetup {
  cases: CasesConfig;
  centres: CentresConfig;
  /** HMAC secret for caller keys (HOTLINE_CALLER_KEY_SECRET or the secrets file); null: repeat callers are not linked. */
  callerKeySecret: string | null;
  /** The routing need of the emergency key's target (config/hotline.yaml ivr.emergency). */
  emergencyNeed: string | null;
}

export interface CaseServiceDeps {
  cases: CaseStore;
  orders: WorkOrderService;
  records: CallRecords;
  liveCalls: LiveCalls;
  eraser: PersonalDataEraser;
  audit: AuditLog;
  clock: Clock;
  setup: CaseSetup;
  /** Ends the counsellor's wrap-up of this call once its form is saved (if they are still in it). */
  endWrapUp: (counsellorId: string, callId: string) => Promise<void>;
  log: Logger;
  newId: () => string;
}

/** A 400 with one entry per field problem, for the form to show next to each field. */
export class CaseFormError extends HotlineError {
  constructor(readonly errors: CaseFieldError[]) {
    super('case-form-invalid', `the case form has ${errors.length} problem(s): ${errors.map((e) => `${e.field} ${e.code}`).join(', ')}`, { errors });
  }
}

/** What the service knows of a call when a counsellor works on its case. */
interface CallContext {
  existing: CaseRecord | null;
  counsellorId: string | null;
  facts: CallRiskFacts;
  callerNumber: string | null;
}

const UNANSWERED: Partial<Record<CallOutcome, UnansweredReason>> = { abandoned: 'abandoned', 'callback-requested': 'callback' };
const COUNSELLED: readonly CallOutcome[] = ['completed', 'escalated'];
const REPEAT_LOOKBACK = 50;

/**
 * Whether the call record may know more than the live call at its end: the live call carries the
 * routing (need), the escalation and the counsellor, which the record only repeats, except for a
 * call without routing, a caller who left during an escalation, and a counselled call whose
 * counsellor left before it ended (the record keeps who took it).
 */
function recordMayAdd(call: LiveCall, counselled: boolean): boolean {
  return call.routing === null || call.phase === 'escalating' || (counselled && !call.counsellorId);
}
const OPEN_ORDER_CASES = 20;

export class CaseService {
  private readonly profiles;

  constructor(private readonly d: CaseServiceDeps) {
    this.profiles = centreProfiles(d.setup.centres);
  }

  /**
   * The call is over (router event): open its case. Runs beside the call (never holds it up);
   * a failure is logged, and the counsellor's next draft or submit still creates the case.
   */
  callEnded(call: LiveCall, outcome: CallOutcome): void {
    void this.openCase(call, outcome).catch((err: unknown) => this.d.log.error({ err, callId: call.callId, outcome }, 'case not opened at call end'));
  }

  async openCase(call: LiveCall, outcome: CallOutcome): Promise<CaseRecord | null> {
    const at = this.d.clock.now().toISOString();
    const reason = UNANSWERED[outcome];
    const counselled = COUNSELLED.includes(outcome);
    if (!reason && !counselled) return null;
    // The live call tells its facts and counsellor; the record is read back only when it may know more.
    const record = recordMayAdd(call, counselled) ? await this.d.records.get(call.callId).catch(() => null) : null;
    const facts = mergeFacts(factsOfLiveCall(call, this.d.setup.emergencyNeed), record ? factsOfRecord(record, this.d.setup.emergencyNeed) : null);
    const callerNumber = call.callerNumber || null;
    const caller = { callerKey: keyOf(callerNumber, this.d.setup.callerKeySecret), callerNumber };
    if (reason) {
      try {
        const r = await this.d.cases.submit({
          idempotencyKey: `unanswered:${call.callId}`, id: this.d.newId(), callId: call.callId, kind: 'unanswered', reason, facts, ...caller, at, order: null,
        });
        return r.case;
      } catch (err) {
        if (err instanceof ConflictError && err.code === 'case-already-saved') return null;
        throw err;
      }
    }
    const counsellorId = call.counsellorId ?? record?.counsellorId ?? null;
    if (!counsellorId) return null;
    // The wrap-up form is pending: a draft (keeping what the counsellor typed during the call).
    const existing = await this.d.cases.getByCall(call.callId);
    if (existing?.status === 'saved') return existing;
    return this.d.cases.saveDraft({
      id: existing?.id ?? this.d.newId(), callId: call.callId, counsellorId: existing?.counsellorId ?? counsellorId,
      draft: existing ? draftOf(existing) : {}, facts: mergeFacts(facts, existing?.facts), ...caller, at,
    });
  }

  async forCall(callId: string, who: Principal): Promise<CallCaseResponse> {
    const ctx = await this.context(callId, who);
    return {
      callId, case: ctx.existing ? caseView(ctx.existing) : null, facts: ctx.facts, gradeFloor: gradeFloor(ctx.facts), suggestedGrade: suggestedGrade(ctx.facts),
      orders: ctx.existing ? await this.d.orders.ordersOfCase(ctx.existing.id) : [],
    };
  }

  /** Keeps the form as typed so far; only impossible values are refused (missing fields are fine). */
  async saveDraft(callId: string, who: Principal, draft: CaseDraft): Promise<CaseRecord> {
    const ctx = await this.context(callId, who);
    const errors = checkDraft(draft, caseRules(this.d.setup.cases, ctx.facts));
    if (errors.length > 0) throw new CaseFormError(errors);
    return this.d.cases.saveDraft({
      id: ctx.existing?.id ?? this.d.newId(), callId, counsellorId: ctx.counsellorId ?? who.userId, draft, facts: ctx.facts,
      callerKey: ctx.existing?.callerKey ?? keyOf(ctx.callerNumber, this.d.setup.callerKeySecret), callerNumber: ctx.callerNumber,
      at: this.d.clock.now().toISOString(),
    });
  }

  /** Saves the case (and its order when one is needed); the same key again returns the first result. */
  async submit(callId: string, who: Principal, input: { idempotencyKey: string; form: CaseDraft }): Promise<SubmitCaseResponse> {
    const ctx = await this.context(callId, who);
    const check = checkCaseForm(input.form, caseRules(this.d.setup.cases, ctx.facts));
    if (!check.ok) throw new CaseFormError(check.errors);
    const at = this.d.clock.now().toISOString();
    const step = orderForCase({
      form: check.form, autoOrderGrades: this.d.setup.cases.autoOrderGrades, centres: this.profiles,
      actor: { id: who.userId, role: who.role === 'supervisor' ? 'supervisor' : 'counsellor' }, at,
    });
    if (step && !step.ok) throw step.error;
    const order = step?.ok && step.record ? { id: this.d.newId(), state: step.state, record: step.record, commands: step.commands } : null;
    const counsellorId = ctx.counsellorId ?? who.userId;
    const result = await this.d.cases.submit({
      idempotencyKey: `${callId}:${input.idempotencyKey}`, id: ctx.existing?.id ?? this.d.newId(), callId, kind: 'counselled', counsellorId, form: check.form,
      facts: ctx.facts, callerKey: ctx.existing?.callerKey ?? keyOf(ctx.callerNumber, this.d.setup.callerKeySecret), callerNumber: ctx.callerNumber, at, order,
    });
    if (result.created) {
      await this.d.audit.append({
        actor: who.userId, role: who.role, action: 'case-save', callId, target: result.case.id,
        data: { grade: check.form.grade, categories: check.form.categories, orderId: result.order?.id ?? null },
      }).catch((err: unknown) => this.d.log.error({ err, callId }, 'case-save audit entry not written'));
      if (result.order && order) await this.d.orders.created(result.order, order.record, callId);
      if (who.role === 'counsellor') await this.d.endWrapUp(who.userId, callId).catch((err: unknown) => this.d.log.warn({ err }, 'wrap-up not ended'));
    }
    return { case: caseView(result.case), order: result.order ? this.d.orders.summary(result.order) : null, created: result.created };
  }

  /** Has this caller called before? Counts, dates, last grade and categories, an open order: never the number. */
  async repeatCaller(callId: string, who: Principal): Promise<RepeatCallerResponse> {
    const ctx = await this.context(callId, who);
    const key = ctx.existing?.callerKey ?? keyOf(ctx.callerNumber, this.d.setup.callerKeySecret);
    const none: RepeatCallerResponse = { linkable: key !== null, previousCases: 0, dates: [], lastGrade: null, lastCategories: [], openOrder: false };
    if (!key) return none;
    const earlier = (await this.d.cases.listByCaller(key, REPEAT_LOOKBACK)).filter((c) => c.callId !== callId);
    const last = earlier.find((c) => c.status === 'saved' && c.kind === 'counselled');
    let openOrder = false;
    for (const c of earlier.slice(0, OPEN_ORDER_CASES)) {
      if ((await this.d.orders.ordersOfCase(c.id)).some((o) => !FINAL_STATUSES.includes(o.status))) {
        openOrder = true;
        break;
      }
    }
    return {
      ...none, previousCases: earlier.length, dates: earlier.slice(0, 10).map((c) => c.createdAt), lastGrade: last?.grade ?? null,
      lastCategories: last ? [...last.categories] : [], openOrder,
    };
  }

  /** Supervisors: every case of the same caller (audited: it is a person's history). */
  async callerHistory(caseId: string, who: Principal): Promise<CallerHistoryResponse> {
    const c = await this.d.cases.get(caseId);
    if (!c) throw new NotFoundError('case-not-found', `no case ${caseId}`);
    const all = c.callerKey ? await this.d.cases.listByCaller(c.callerKey, 200) : [c];
    await this.d.audit.append({ actor: who.userId, role: who.role, action: 'caller-history', callId: c.callId, target: caseId, data: { cases: all.length } });
    return { cases: await Promise.all(all.map(async (k) => ({ ...caseView(k), orders: await this.d.orders.ordersOfCase(k.id) }))) };
  }

  /**
   * A caller asked for their data to be erased (PIPL): every case linked to this one's caller (or
   * this case alone when the number was withheld), their orders' texts and their calls' numbers.
   * Audited (with the reason) before anything is erased.
   */
  async eraseCaller(caseId: string, who: Principal, reason: string): Promise<EraseCallerResponse> {
    const c = await this.d.cases.get(caseId);
    if (!c) throw new NotFoundError('case-not-found', `no case ${caseId}`);
    const ids = c.callerKey ? (await this.d.cases.listByCaller(c.callerKey, 10_000)).map((k) => k.id) : [];
    if (!ids.includes(c.id)) ids.push(c.id);
    await this.d.audit.append({ actor: who.userId, role: who.role, action: 'caller-erase', callId: c.callId, target: caseId, data: { cases: ids.length, reason } });
    return this.d.eraser.eraseCases(ids, this.d.clock.now().toISOString());
  }

  /** Counsellors: their own cases (e.g. `draft`: forms whose wrap-up ran out); supervisors any counsellor's. */
  async list(who: Principal, q: { status?: CaseRecord['status']; counsellorId?: string; limit: number }): Promise<CaseListResponse> {
    const counsellorId = who.role === 'counsellor' ? who.userId : q.counsellorId;
    const list = await this.d.cases.list({ ...(counsellorId ? { counsellorId } : {}), ...(q.status ? { status: q.status } : {}), limit: q.limit });
    return { cases: list.map(caseView) };
  }

  async get(caseId: string, who: Principal): Promise<CaseResponse> {
    const c = await this.d.cases.get(caseId);
    if (!c || (who.role === 'counsellor' && c.counsellorId !== who.userId)) throw new NotFoundError('case-not-found', `no case ${caseId}`);
    return { case: caseView(c), orders: await this.d.orders.ordersOfCase(c.id) };
  }

  settings(): CaseSettingsResponse {
    const { cases, centres } = this.d.setup;
    return {
      categories: cases.categories.map((c) => ({ id: c.id, label: c.label, children: c.children.map((k) => ({ ...k })) })),
      grades: ([1, 2, 3, 4] as const).map((grade) => ({ grade, label: cases.grades[grade].label })),
      autoOrderGrades: [...cases.autoOrderGrades],
      summaryMaxLength: cases.summaryMaxLength,
      areas: cases.areas,
      centres: centres.centres.map((c) => ({ id: c.id, name: c.name, level: c.level, city: c.city, county: c.county, categories: [...c.categories] })),
      labels: cases.labels,
    };
  }

  /**
   * The call as far as the service knows it, if `who` may work on its case: counsellors only on
   * their own calls (another's is 404, as for call records); supervisors on any.
   */
  private async context(callId: string, who: Principal): Promise<CallContext> {
    const [live, record, existing] = await Promise.all([
      this.d.liveCalls.get(callId), this.d.records.get(callId).catch(() => null), this.d.cases.getByCall(callId),
    ]);
    const counsellorId = existing?.counsellorId ?? live?.counsellorId ?? record?.counsellorId ?? null;
    if ((!live && !record && !existing) || (who.role === 'counsellor' && counsellorId !== who.userId)) {
      throw new NotFoundError('no-such-call', `no call ${callId}`);
    }
    const need = this.d.setup.emergencyNeed;
    return {
      existing, counsellorId,
      facts: mergeFacts(existing?.facts, live ? factsOfLiveCall(live, need) : null, record ? factsOfRecord(record, need) : null),
      callerNumber: live?.callerNumber || record?.callerNumber || existing?.callerNumber || null,
    };
  }
}

/** The form fields a stored case holds, as a draft (to keep them when the case is rewritten). */
function draftOf(c: CaseRecord): CaseDraft {
  const d: CaseDraft = { categories: [...c.categories], orderRequested: c.orderRequested };
  if (c.grade !== null) d.grade = c.grade;
  if (c.summary !== null) d.summary = c.summary;
  if (c.area) d.area = c.area;
  if (c.consent) d.consent = c.consent;
  return d;
}
