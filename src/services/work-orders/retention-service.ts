/**
 * Privacy (个人信息保护): erases personal data after its retention period (a daily job).
 * Categories, grade and city stay for the figures; every run is in the audit log. A caller's own
 * request is `CaseService.eraseCaller`.
 */
import type { Logger } from 'pino';
import type { AuditLog } from '../../ports/auth.ts';
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
}
