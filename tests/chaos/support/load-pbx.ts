import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { isAsteriskRunning, prepareRunDir, startAsterisk, stopAsterisk, asteriskBinary } from '../../../src/adapters/asterisk/asterisk-process.ts';
import { pbxForProfile } from '../../../src/adapters/asterisk/pbx-profile.ts';
import type { PbxParams } from '../../../src/adapters/asterisk/render-config.ts';
import { loadRoster } from '../../../src/config/roster.ts';

/**
 * The load scenarios' own Asterisk, as bench/bench-pbx.ts builds the benchmark's: the slot's test
 * profile rendered from the shipped templates, with a generated roster of many counsellors, a
 * wide RTP range, and for load only (never in the templates) hold music off and `rtp_timeout`
 * raised, so that the machine's two cores measure the hotline rather than audio streams of test
 * callers who never send any. `restoreStockPbx` puts the slot's ordinary test PBX back for the
 * scenarios that run after.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
export const LOAD_DIR = join(ROOT, 'var/chaos/load');
/** Load counsellors' SIP users: 3001, 3002, ... (the demo roster keeps 1001-1003 and 2001). */
export const LOAD_SIP_BASE = 3000;
/**
 * The chaos scenarios' RTP range, 10,000 ports (5,000 RTP instances, each an even port and its RTCP
 * neighbour): 1,000 callers and 300 counsellors need 2,600 ports, and the bounded INVITE floods of
 * scenario 9 (under 1,000 INVITEs that can open a call) under 2,000, where a test slot's 500 ports
 * ran out. Clear of the test profiles (11000-16999), the benchmark's range (20000-29999) and the
 * SIPp ports (30000-49999); one chaos scenario runs at a time, so they may share it.
 */
export const CHAOS_RTP_RANGE = { start: 50000, end: 59999 } as const;
const RTP_RANGE = CHAOS_RTP_RANGE;

export interface LoadPbxOptions {
  counsellors: number;
  /** Hold music off: the holding bridge's music class points at an empty directory. */
  mohOff: boolean;
  /** Seconds without RTP from a caller before Asterisk hangs up (120 in the shipped config). */
  rtpTimeoutS: number;
  /** Skills of load counsellor i (0-based); default: every skill the menus route to. */
  skillsOf?: (i: number) => string[];
}

export interface LoadPbx {
  params: PbxParams;
  pid: number;
  rosterFile: string;
  /** SIP user and password of each load counsellor, in roster order. */
  users: Array<{ id: string; sipUser: string; password: string }>;
}

/** The demo roster (c1001-1003, s2001, admin) plus `n` load counsellors c3001... */
export function writeLoadRoster(n: number, skillsOf: (i: number) => string[]): string {
  const demo = loadRoster(join(ROOT, 'config/roster.demo.yaml'));
  const load = Array.from({ length: n }, (_, i) => ({
    id: `c${LOAD_SIP_BASE + 1 + i}`, name: `负载${i + 1}`, sipUser: String(LOAD_SIP_BASE + 1 + i),
    skills: skillsOf(i), languages: ['cmn', 'yue'], team: 'guangzhou', level: 'city',
  }));
  mkdirSync(LOAD_DIR, { recursive: true });
  const file = join(LOAD_DIR, `roster.${n}.yaml`);
  writeFileSync(file, `# Written by tests/chaos/support/load-pbx.ts: the demo roster plus ${n} load counsellors.\n` +
    stringify({ counsellors: [...demo.counsellors, ...load], staff: demo.staff }));
  return file;
}

/** Rewrites the rendered configuration for load: hold music off and a longer RTP timeout. */
function patchForLoad(p: PbxParams, o: LoadPbxOptions): void {
  const etc = join(p.runDir, 'etc');
  const pjsip = join(etc, 'pjsip.conf');
  const text = readFileSync(pjsip, 'utf8');
  if (!/^rtp_timeout = 120$/m.test(text)) throw new Error('load PBX: pjsip.conf no longer sets rtp_timeout = 120; update the patch');
  // Load counsellors register without digest: one SIPp registers them all, and SIPp cannot take a
  // per-identity password from its injection file. They are reachable from loopback only.
  const noAuth = text.replace(/^auth = (web)?(\d+)$/gm, (line, _web: string | undefined, user: string) => (Number(user) > LOAD_SIP_BASE ? '; load counsellor: no digest' : line));
  writeFileSync(pjsip, noAuth.replace(/^rtp_timeout = 120$/gm, `rtp_timeout = ${o.rtpTimeoutS}`), { mode: 0o600 });
  if (o.mohOff) {
    const empty = join(LOAD_DIR, 'no-moh');
    mkdirSync(empty, { recursive: true });
    // A files-mode class with no files is not loaded: MOH start finds no class and plays nothing.
    writeFileSync(join(etc, 'musiconhold.conf'), `; load test: no hold music\n[general]\n[default]\nmode = files\ndirectory = ${empty}\n[hotline]\nmode = files\ndirectory = ${empty}\n`, { mode: 0o600 });
  }
}

/**
 * Stops the slot's Asterisk (the stock one global-setup started) and starts the load one in the
 * same run directory, so global-setup's teardown stops it like its own.
 */
export async function startLoadPbx(o: LoadPbxOptions): Promise<LoadPbx> {
  const skillsOf = o.skillsOf ?? (() => ['psychological', 'legal', 'hardship', 'exam_stress', 'general']);
  const rosterFile = writeLoadRoster(o.counsellors, skillsOf);
  const { params: base, secrets } = pbxForProfile(ROOT, 'test', { ...process.env, HOTLINE_ROSTER: rosterFile });
  const params: PbxParams = { ...base, rtpStart: RTP_RANGE.start, rtpEnd: RTP_RANGE.end };
  if (isAsteriskRunning(params)) await stopAsterisk(params);
  prepareRunDir(ROOT, params);
  patchForLoad(params, o);
  const out = openSync(join(params.runDir, 'log/console.log'), 'a');
  const child = spawn(asteriskBinary(params.asteriskPrefix), ['-f', '-C', join(params.runDir, 'etc/asterisk.conf')], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  await waitForAri(params);
  const users = params.roster.counsellors.filter((c) => Number(c.sipUser) > LOAD_SIP_BASE)
    .map((c) => ({ id: c.id, sipUser: c.sipUser, password: secrets.sip[c.sipUser] ?? '' }));
  return { params, pid: child.pid ?? 0, rosterFile, users };
}

async function waitForAri(p: PbxParams, timeoutMs = 60_000): Promise<void> {
  const auth = 'Basic ' + Buffer.from(`${p.ariUser}:${p.ariPassword}`).toString('base64');
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    const ok = await fetch(`http://127.0.0.1:${p.httpPort}/ari/asterisk/ping`, { headers: { authorization: auth }, signal: AbortSignal.timeout(1000) })
      .then((r) => r.ok, () => false);
    if (ok) return;
  }
  throw new Error(`load PBX: no ARI on ${p.httpPort} within ${timeoutMs} ms; see ${p.runDir}/log`);
}

/**
 * The slot's ordinary test PBX (stock roster and configuration, its SIP guard) restarted with the
 * chaos RTP range, for a scenario whose calls would use up a slot's 500 ports (scenario 9's
 * INVITE floods). `restoreStockPbx` puts the slot's own range back.
 */
export async function startWideRtpPbx(): Promise<PbxParams> {
  const { params: stock } = pbxForProfile(ROOT, 'test');
  const params: PbxParams = { ...stock, rtpStart: RTP_RANGE.start, rtpEnd: RTP_RANGE.end };
  await stopAsterisk(stock);
  await startAsterisk(ROOT, params, 60_000);
  return params;
}

/** The slot's ordinary test PBX again (stock roster and configuration), for whatever runs next. */
export async function restoreStockPbx(): Promise<void> {
  const { params } = pbxForProfile(ROOT, 'test');
  await stopAsterisk(params);
  await startAsterisk(ROOT, params, 60_000);
}
