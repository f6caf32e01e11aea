import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CARRIER_IP, freePort, parseStatCsv, PBX_IP, spawnSipp, type SippProcess } from '../../support/sipp-process.ts';
import { trackChild } from '../../e2e/support/service.ts';
import { sleep } from '../../e2e/support/wait.ts';
import { callerXml, phoneXml, registerXml, type CallerPlan, type PhoneMix } from './load-sipp-xml.ts';

/**
 * The load scenarios' SIPps: a caller load (one SIPp, -r/-m) and a counsellor bank (one SIPp that
 * registers every load counsellor from one address and answers for all of them). Their pids go to
 * the e2e pid file, so a killed run's leftovers are ended by the next one.
 */

export interface SippLoad {
  dir: string;
  process: SippProcess;
  stats(): Record<string, string>;
  /** The raw message trace (SIPp's -trace_msg). */
  trace(): string;
  stop(): Promise<number | null>;
}

function run(name: string, dir: string, host: string, port: number, args: string[]): SippLoad {
  const process = spawnSipp({ name, dir, host, port, args: [...args, '-fd', '1'], killAfterMs: 3000 });
  trackChild(process.child);
  return { dir, process, stats: () => parseStatCsv(process.read('stats.csv')), trace: () => process.read('messages.log'), stop: () => process.stop() };
}

/** Calls from the carrier's address at `rate` per second, `total` in all, each following one of `plans`; caller numbers start with `prefix`. */
export async function startCallerLoad(o: { pbxPort: number; number: string; prefix: string; rate: number; total: number; plans: CallerPlan[]; budgetS: number; limit?: number }): Promise<SippLoad> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-chaos-callers-'));
  writeFileSync(join(dir, 'caller.xml'), callerXml(o.plans, 15_000, o.prefix));
  const port = await freePort(CARRIER_IP, 30000, 1, 2000);
  return run('callers', dir, CARRIER_IP, port, [`${PBX_IP}:${o.pbxPort}`, '-sf', 'caller.xml', '-s', o.number, '-r', String(o.rate), '-m', String(o.total),
    '-l', String(o.limit ?? 3000), '-mi', CARRIER_IP, '-mp', String(await freePort(CARRIER_IP, 35000, 4, 2000)), '-aa',
    '-timeout', `${o.budgetS}s`, '-timeout_error', '-max_socket', '4000']);
}

export interface CounsellorBank extends SippLoad {
  port: number;
  /** Identities whose REGISTER got its 200 so far. */
  registered(): number;
  /** Stops answering and removes every registration (REGISTER with Expires: 0 from the same port). */
  unregister(): Promise<void>;
}

/**
 * One SIPp on 127.0.0.1 registering `users` at `rate` per second; each INVITE is answered as `mix` says.
 * Resolves once started; `registered()` tells how far the sign-in is.
 */
export async function startCounsellorBank(o: { pbxPort: number; users: Array<{ sipUser: string }>; rate: number; mix: PhoneMix; lifeMs: number }): Promise<CounsellorBank> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-chaos-bank-'));
  writeFileSync(join(dir, 'users.csv'), `SEQUENTIAL\n${o.users.map((u) => `${u.sipUser};`).join('\n')}\n`);
  writeFileSync(join(dir, 'register.xml'), registerXml(3600, o.lifeMs));
  writeFileSync(join(dir, 'unregister.xml'), registerXml(0, 0));
  writeFileSync(join(dir, 'answer.xml'), phoneXml(o.mix));
  const port = await freePort(PBX_IP, 30000, 1, 2000);
  const media = ['-mi', PBX_IP, '-mp', String(await freePort(PBX_IP, 35000, 4, 2000))];
  const pbx = `${PBX_IP}:${o.pbxPort}`;
  const n = o.users.length;
  const bank = run('bank', dir, PBX_IP, port, [pbx, '-sf', 'register.xml', '-oocsf', 'answer.xml', '-inf', 'users.csv', '-m', String(n), '-l', String(n),
    '-r', String(o.rate), '-max_socket', '4000', ...media]);
  // Received 200 OKs to the authenticated REGISTER (CSeq 2), one per identity.
  const registered = () => bank.trace().split(/^-{20,}.*$/m)
    .filter((b) => /message received/.test(b) && /^\s*SIP\/2\.0 200 /m.test(b) && /^\s*CSeq:\s*2 REGISTER/m.test(b)).length;
  return {
    ...bank,
    port,
    registered,
    async unregister() {
      await bank.stop();
      const off = run('unregister', dir, PBX_IP, port, [pbx, '-sf', 'unregister.xml', '-inf', 'users.csv', '-m', String(n), '-r', '200', '-timeout', '30s', ...media]);
      await off.process.exited;
    },
  };
}

/** Waits until the bank has `n` registrations, or throws with SIPp's log. */
export async function waitRegistered(bank: CounsellorBank, n: number, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = bank.registered();
    if (got >= n) return Date.now();
    if (Date.now() > until) throw new Error(`counsellor bank: ${got} of ${n} registered after ${timeoutMs} ms\n${bank.process.log(3000)}`);
    await sleep(250);
  }
}
