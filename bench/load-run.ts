/**
 * The calls-per-second load of the benchmarks and its failure rules, shared by the single-PBX
 * climb (bench/handoff-bench.ts) and the cluster's (bench/cluster-bench.ts): SIPp offers R calls
 * per second (R × 10, at least 20), each must be answered within LOAD_ANSWER_TIMEOUT_MS and is held
 * LOAD_HOLD_MS; a rate is held when no call failed by any rule.
 */
import type { ServiceLog } from './bench-service.ts';
import { startCallers, type BenchTarget, type SippRun } from './bench-sipp.ts';
import { summarize, type Summary } from './bench-stats.ts';

export const LOAD_HOLD_MS = 3000;
export const LOAD_ANSWER_TIMEOUT_MS = 5000;

export const loadCalls = (rate: number): number => Math.max(20, rate * 10);

/** SIPp callers offering `rate` calls per second to `number` at the target, `loadCalls(rate)` in all. */
export function startLoadCallers(target: BenchTarget, number: string, rate: number, label: string): Promise<SippRun> {
  const calls = loadCalls(rate);
  return startCallers({
    number, pbxHost: target.host, pbxPort: target.port, rate, total: calls, answerTimeoutMs: LOAD_ANSWER_TIMEOUT_MS,
    holdMs: LOAD_HOLD_MS, budgetS: Math.ceil(calls / rate) + 60,
  }, label);
}

export interface Answer { callId: string; sentAt: number; answeredAt: number; ms: number; contact: string }

/** INVITE sent → 200 OK received, per call, from a callers' trace (SIPp's clock), with the answer's Contact. */
export function answerTimes(callers: SippRun): Answer[] {
  const sent = new Map<string, number>();
  const out: Answer[] = [];
  for (const m of callers.trace()) {
    if (m.direction === 'sent' && m.firstLine.startsWith('INVITE ') && !sent.has(m.callId)) sent.set(m.callId, m.at);
    if (m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200') && m.cseq.endsWith('INVITE') && sent.has(m.callId)) {
      out.push({ callId: m.callId, sentAt: sent.get(m.callId)!, answeredAt: m.at, ms: m.at - sent.get(m.callId)!, contact: m.contact });
      sent.delete(m.callId);
    }
  }
  return out;
}

/** The service's side of the rules: every call seen, no error logged, none handed back to the dialplan. */
export function serviceFailures(lines: ServiceLog[], calls: number): Record<string, number> {
  const failures: Record<string, number> = {};
  const entered = lines.filter((l) => l.msg === 'caller entered').length;
  const errors = lines.filter((l) => l.level >= 50).length;
  const handed = lines.filter((l) => l.msg === 'caller left' && l.outcome === 'handed-to-dialplan').length;
  if (entered < calls) failures.serviceNeverSawCall = calls - entered;
  if (errors) failures.serviceErrors = errors;
  if (handed) failures.handedToDialplan = handed;
  return failures;
}

export interface LoadVerdict { calls: number; ok: number; failed: number; failures: Record<string, number>; answerMs: Summary; held: boolean }

/**
 * The verdict of a finished load run: SIPp's failed calls by cause, calls never placed, calls
 * answered later than the callers' patience, and the target's own failures (`extra`).
 */
export function loadVerdict(callers: SippRun, calls: number, extra: Record<string, number>): LoadVerdict {
  const stats = callers.stats();
  const n = (k: string) => Number(stats[k] ?? 0);
  const failures: Record<string, number> = {};
  for (const k of Object.keys(stats).filter((k) => k.startsWith('Failed') && k.endsWith('(C)'))) if (n(k) > 0) failures[k] = n(k);
  const created = n('TotalCallCreated');
  if (created < calls) failures.notPlaced = calls - created;
  Object.assign(failures, extra);
  const answerMs = answerTimes(callers).map((a) => a.ms);
  const late = answerMs.filter((ms) => ms > LOAD_ANSWER_TIMEOUT_MS).length;
  if (late) failures.answeredLate = late;
  const failed = n('FailedCall(C)');
  return { calls, ok: n('SuccessfulCall(C)'), failed, failures, answerMs: summarize(answerMs), held: Object.keys(failures).length === 0 && failed === 0 };
}

/** Climbs the rates; a failed rate is tried once more, and a second failure ends the climb. */
export async function climb<R extends LoadVerdict>(
  rates: number[], label: string, once: (rate: number, attempt: number) => Promise<R>, say: (line: string) => void,
): Promise<{ runs: R[]; heldCps: number }> {
  const runs: R[] = [];
  let heldCps = 0;
  const line = (r: R) => `${r.ok}/${r.calls} ok${r.held ? '' : ` FAILED ${JSON.stringify(r.failures)}`}, answer p95 ${r.answerMs.p95} ms`;
  for (const rate of rates) {
    let r = await once(rate, 1);
    say(`load ${label} ${rate} cps: ${line(r)}`);
    runs.push(r);
    if (!r.held) {
      r = await once(rate, 2);
      say(`load ${label} ${rate} cps (again): ${line(r)}`);
      runs.push(r);
      if (!r.held) break;
    }
    heldCps = rate;
  }
  return { runs, heldCps };
}
