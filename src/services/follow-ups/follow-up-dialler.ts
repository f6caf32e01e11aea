/**
 * Makes a due follow-up call (回访) through the dial-back path: chooses the counsellor (the case's
 * own when free, else by skills and language, never while live callers wait), takes the attempt
 * in the database (never twice at once, never after the person declined or their data was
 * erased), tells the counsellor's console, then rings the counsellor and, once they answer, the
 * person through the carrier trunk with the hotline's number.
 */
import type { Logger } from 'pino';
import { chooseFollowUpCounsellor } from '../../domain/follow-ups/follow-up-counsellor.ts';
import { mayCallNow, type FollowUpPolicy } from '../../domain/follow-ups/follow-up-schedule.ts';
import { PRIORITY, type Language } from '../../domain/calls/routing-request.ts';
import type { AuditLog } from '../../ports/auth.ts';
import type { CallRecords } from '../../ports/call-records.ts';
import type { CaseStore } from '../../ports/cases.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FollowUpRecord, FollowUpStore } from '../../ports/follow-ups.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { QueueStore } from '../../ports/queue-store.ts';
import type { DialBackJob, DialBackService } from '../callbacks/dial-back-service.ts';

const GRADE_NAMES = ['', '一级', '二级', '三级', '四级'];

export interface FollowUpDiallerDeps {
  store: FollowUpStore;
  cases: Pick<CaseStore, 'get'>;
  records: Pick<CallRecords, 'get'>;
  queue: Pick<QueueStore, 'listCounsellors' | 'listCallers'>;
  counsellors: { phoneOf(counsellorId: string): string | null };
  dialBacks: Pick<DialBackService, 'dial'>;
  notifier: Notifier;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  /** The skills a need asks for (config targets). */
  skillsOf: (need: string | null) => string[];
  defaultLanguage: Language;
  defaultLine: string;
  leaseMs: number;
  /** For the quiet hours: an attempt still waiting when they begin waits for their end (not 一级). */
  policy: FollowUpPolicy;
  /** The caller was not reached (busy, no answer): the attempt's outcome is `not-reached`. */
  notReached: (f: FollowUpRecord) => Promise<void>;
}

export class FollowUpDialler {
  /** Attempts this instance is deciding on now (the database guards across instances). */
  private readonly busy = new Set<string>();

  constructor(private readonly d: FollowUpDiallerDeps) {}

  async dialIfDue(followUpId: string): Promise<void> {
    if (this.busy.has(followUpId)) return;
    this.busy.add(followUpId);
    try {
      await this.tryDial(followUpId);
    } finally {
      this.busy.delete(followUpId);
    }
  }

  private async tryDial(followUpId: string): Promise<void> {
    const now = this.d.clock.now();
    const f = await this.d.store.get(followUpId);
    if (!f || f.outcome !== null || f.dialResult === 'connected' || new Date(f.dueAt).getTime() > now.getTime()) return;
    if (f.leaseUntil && new Date(f.leaseUntil).getTime() > now.getTime()) return;
    if (!mayCallNow(f.grade, now, this.d.policy)) return;
    const c = await this.d.cases.get(f.caseId);
    if (!c || c.erasedAt || !c.callerNumber) return;
    const record = await this.d.records.get(c.callId);
    const language = (record?.language as Language | null) ?? this.d.defaultLanguage;
    const need = record?.need ?? 'general';
    const choice = chooseFollowUpCounsellor(await this.d.queue.listCounsellors(), {
      previousCounsellorId: c.counsellorId, skills: this.d.skillsOf(need), language,
    }, { callersWaiting: (await this.d.queue.listCallers()).length, reachable: (id) => this.d.counsellors.phoneOf(id) !== null });
    const log = this.d.log.child({ followUpId, caseId: f.caseId, attempt: f.attempt });
    if (!choice.ok) {
      log.debug({ reason: choice.reason }, 'follow-up due; waiting for a free counsellor');
      return;
    }
    const taken = await this.d.store.take(f.id, choice.counsellorId, now.toISOString(), new Date(now.getTime() + this.d.leaseMs).toISOString());
    if (!taken) {
      log.info('follow-up not taken (another dialling, declined, erased or recorded meanwhile)');
      return;
    }
    // The person's number is used on the hotline's behalf: audited before it is dialled.
    await this.d.audit.append({
      actor: 'system', role: 'system', action: 'follow-up-dial', callId: c.callId, target: f.id, data: { counsellorId: choice.counsellorId, attempt: f.attempt },
    }).catch((err: unknown) => log.error({ err }, 'follow-up dial audit entry not written'));
    // The console shows the case while the counsellor's phone rings, before the person is dialled.
    this.d.notifier.publish({ type: 'follow-up', followUpId: f.id, caseId: f.caseId, counsellorId: choice.counsellorId, change: 'ringing' });
    const job: DialBackJob = {
      callId: c.callId, callerNumber: c.callerNumber, dialled: 'follow-up',
      routing: { line: record?.line ?? this.d.defaultLine, need, skills: this.d.skillsOf(need), language, priority: PRIORITY.callback, highRisk: f.grade === 1, announce: [] },
      label: `回访 ${GRADE_NAMES[f.grade] ?? ''} 第${f.attempt}/${f.maxAttempts}次`,
      offer: { followUpId: f.id },
      finish: async () => {
        await this.d.store.dialled(f.id, 'connected', dialledCallId, this.d.clock.now().toISOString());
        this.d.notifier.publish({ type: 'follow-up', followUpId: f.id, caseId: f.caseId, counsellorId: choice.counsellorId, change: 'connected' });
        log.info({ counsellorId: choice.counsellorId }, 'follow-up call connected; the counsellor records the outcome');
      },
      giveBack: async (outcome) => {
        if (outcome === 'caller-no-answer') {
          await this.d.store.dialled(f.id, 'caller-no-answer', dialledCallId, this.d.clock.now().toISOString());
          log.info('follow-up: the person did not answer');
          await this.d.notReached({ ...taken, dialResult: 'caller-no-answer' });
        } else {
          // The counsellor did not answer or left: the attempt stays due for the next free counsellor.
          await this.d.store.dialled(f.id, 'counsellor-no-answer', null, this.d.clock.now().toISOString());
          this.d.notifier.publish({ type: 'follow-up', followUpId: f.id, caseId: f.caseId, counsellorId: choice.counsellorId, change: 'given-back' });
          log.info({ outcome }, 'follow-up given back: the counsellor did not take it');
        }
      },
    };
    let dialledCallId: string | null = null;
    try {
      log.info({ counsellorId: choice.counsellorId, continuity: choice.continuity }, 'follow-up due: ringing the counsellor first');
      dialledCallId = (await this.d.dialBacks.dial(job, choice.counsellorId)).callId;
    } catch (err) {
      log.warn({ err }, 'follow-up could not be dialled; tried again later');
      await this.d.store.dialled(f.id, 'counsellor-no-answer', null, this.d.clock.now().toISOString());
    }
  }
}
