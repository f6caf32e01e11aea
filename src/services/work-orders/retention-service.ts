/**
 * Privacy (个人信息保护): erases personal data after its retention period (a daily job) and one
 * caller's data when they ask (a supervisor's request). Categories, grade and city stay for the
 * figures. Every erasure is in the audit log.
 */
import type { Logger } from 'pino';
import { AuthError, ValidationError } from '../../errors.ts';
import type { AuditLog, Role } from '../../ports/auth.ts';
import type { CaseStore } from '../../ports/cases.ts';
import type { Clock } from '../../ports/clock.ts';
import type { RetentionStore } from '../../ports/retention.ts';

const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  /** Summary, number, caller key, county, order texts. */
  personalDataDays: number;
  /** The caller's number on cases and call records. */
  callerNumberDays: number;
}

export interface RetentionRun {
  casesErased: number;
  numbersErased: { cases: number; calls: number };
}

export class RetentionService {
  constructor(private readonly d: {
    cases: Pick<CaseStore, 'eraseExpired'>; store: RetentionStore; audit: AuditLog; clock: Clock; log: Logger; policy: RetentionPolicy;
  }) {}

  /** The daily job: erases what is past its period. */
  async runDaily(): Promise<RetentionRun> {
    const now = this.d.clock.now();
    const at = now.toISOString();
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
    const casesErased = await this.d.cases.eraseExpired(ago(this.d.policy.personalDataDays), at);
    const numbersErased = await this.d.store.eraseCallerNumbers(ago(this.d.policy.callerNumberDays), at);
    const run = { casesErased, numbersErased };
    await this.d.audit.append({ actor: 'system', role: 'system', action: 'retention-erase', data: { ...run, policy: this.d.policy } });
    this.d.log.info(run, 'retention: personal data past its period erased');
    return run;
  }

  /**
   * A caller asked for their data to be erased: a supervisor (or admin) erases it by the caller's
   * key (the keyed hash of their number), with the reason. Audited before the answer.
   */
  async eraseCaller(input: { callerKey: string; actor: string; role: Role; reason: string }): Promise<{ cases: number; calls: number }> {
    if (input.role !== 'supervisor' && input.role !== 'admin') throw new AuthError('forbidden', 'only a supervisor can erase a caller\'s data');
    if (!/^[0-9a-f]{64}$/.test(input.callerKey)) throw new ValidationError('a caller key is 64 hex digits', { field: 'callerKey' });
    const reason = input.reason.trim();
    if (!reason) throw new ValidationError('erasing a caller\'s data needs a reason', { field: 'reason' });
    const erased = await this.d.store.eraseCaller(input.callerKey, this.d.clock.now().toISOString());
    await this.d.audit.append({
      actor: input.actor, role: input.role, action: 'caller-data-erased',
      // The key is a hash, but only its start goes to the log: enough to match a request.
      target: `caller:${input.callerKey.slice(0, 12)}`, data: { ...erased, reason },
    });
    this.d.log.info({ ...erased, actor: input.actor }, 'retention: a caller\'s data erased on request');
    return erased;
  }
}
