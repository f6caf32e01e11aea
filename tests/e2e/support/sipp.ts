import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSecrets } from '../../../src/adapters/asterisk/secrets.ts';
import { profilePorts, testSlot } from '../../../src/config/profiles.ts';
import { CARRIER_IP, freePort, parseStatCsv, PBX_IP, spawnSipp, udpFree } from '../../support/sipp-process.ts';
import { dtmfPcap } from './dtmf-pcap.ts';
import { trackChild } from './service.ts';
import { sleep } from './wait.ts';

/** SIPp peers for the e2e tests: a caller on the carrier trunk, counsellor phones, the 110 line. */

const ROOT = resolve(import.meta.dirname, '../../..');
const PBX_PORT = profilePorts('test', testSlot()).sipPort;
/** This slot's 110 trunk port (5070 in slot 0); the fallback route is two above. */
export const POLICE_PORT = Number(new URL(profilePorts('test', testSlot()).emergencyUri.replace('sip:', 'sip://')).port);

/** `headers` by lower-case name; a repeated header keeps its first value. */
export interface SipMessage { direction: 'sent' | 'received'; firstLine: string; headers: Record<string, string>; raw: string }
/** `stats`: last row of SIPp's -trace_stat CSV by column; `log`: command, stderr and error log, for failure messages. */
export interface SippResult { exitCode: number | null; stats: Record<string, string>; messages: SipMessage[]; log: string; dir: string }

/** Whether a request (`what` = method) or response (`what` = status), optionally of a CSeq method, went that way. */
export function saw(r: { messages: SipMessage[] }, direction: SipMessage['direction'], what: string | number, cseqMethod?: string): boolean {
  const start = typeof what === 'number' ? `SIP/2.0 ${what} ` : `${what} `;
  return r.messages.some((m) => m.direction === direction && m.firstLine.startsWith(start) &&
    (!cseqMethod || (m.headers.cseq ?? '').endsWith(` ${cseqMethod}`)));
}

/** Parses a -trace_msg log ("UDP message sent (n bytes):" blocks between dashed lines). */
export function parseMessageLog(text: string): SipMessage[] {
  return text.split(/^-{20,}.*$/m).flatMap((block) => {
    const head = /^\s*\S+ message (sent|received)[^\n]*\n\s*\n/.exec(block);
    if (!head) return [];
    const raw = block.slice(head[0].length).replace(/\r/g, '').trim();
    const [firstLine = '', ...lines] = raw.split('\n\n')[0]!.split('\n');
    const headers: Record<string, string> = {};
    for (const l of lines) if (l.indexOf(':') > 0) headers[l.slice(0, l.indexOf(':')).trim().toLowerCase()] ??= l.slice(l.indexOf(':') + 1).trim();
    return [{ direction: head[1] as SipMessage['direction'], firstLine: firstLine.trim(), headers, raw }];
  });
}

/** The text of tests/e2e/sipp/<file>. */
export const scenarioText = (file: string): string => readFileSync(join(ROOT, 'tests/e2e/sipp', file), 'utf8');

/** Copies tests/e2e/sipp/<file> into `dir`, filling its {{PLACEHOLDERS}}; returns the copy's path. */
export function renderScenario(dir: string, file: string, vars: Record<string, string | number>): string {
  const text = scenarioText(file).replace(/\{\{([A-Z_]+)\}\}/g, (_m, k: string) => {
    if (vars[k] === undefined) throw new Error(`sipp: ${file} needs {{${k}}}`);
    return String(vars[k]);
  });
  writeFileSync(join(dir, file), text);
  return join(dir, file);
}

/** `messages()`: so far (SIPp writes its trace as it goes); `stop()`: SIGTERM (SIGKILL after 2 s), then the result. */
export interface SippRun { dir: string; done: Promise<SippResult>; messages(): SipMessage[]; stop(): Promise<SippResult> }

/** SIPp bound to `host`:`port`, its pid kept for the e2e clean-up of a crashed run. */
export function runSipp(name: string, host: string, port: number, args: string[], dir: string): SippRun {
  const sipp = spawnSipp({ name, dir, host, port, args, killAfterMs: 2000 });
  trackChild(sipp.child);
  const messages = () => parseMessageLog(sipp.read('messages.log'));
  const done = sipp.exited.then((exitCode): SippResult =>
    ({ exitCode, stats: parseStatCsv(sipp.read('stats.csv')), messages: messages(), log: sipp.log(), dir }));
  return { dir, done, messages, stop: () => sipp.stop().then(() => done) };
}

export interface CallOptions {
  number?: string; // dialled, default 12355
  callerNumber?: string;
  /** RFC 4733 keys (0-9, *, #) sent once answered: the first after `firstDigitAfterMs`, then every `pauseMsBetween` (1000). */
  digits?: string[];
  pauseMsBetween?: number;
  firstDigitAfterMs?: number;
  /** Time on the line after the digits: 'caller' then hangs up; 'remote' waits that long at most for a BYE. */
  holdMs: number;
  /** 'cancel': CANCEL `cancelAfterMs` after 100 Trying, before any answer. */
  hangup: 'caller' | 'remote' | 'cancel';
  cancelAfterMs?: number;
  port?: number; // the PBX's SIP port, default 15060 (test profile)
  host?: string; // the PBX's (or SIP edge's) address, default 127.0.0.1
}

/** Starts one call from the carrier address (127.0.0.2); `done` settles when SIPp exits. */
export async function startCall(o: CallOptions): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-caller-'));
  const gap = o.pauseMsBetween ?? 1000;
  const dtmf = (o.digits ?? []).map((d, i) => `  <pause milliseconds="${i === 0 ? (o.firstDigitAfterMs ?? gap) : gap}"/>\n` +
    `  <nop><action><exec play_pcap_audio="${dtmfPcap(d, i)}"/></action></nop>`).join('\n');
  const scenario = renderScenario(dir, o.hangup === 'cancel' ? 'caller-cancel.xml' : 'caller.xml', {
    CALLER: o.callerNumber ?? '13800138000', DTMF: dtmf, CANCEL_AFTER_MS: o.cancelAfterMs ?? 0,
    BYE_WAIT: `timeout="${Math.max(1, o.holdMs)}"` + (o.hangup === 'caller' ? ' ontimeout="hangup"' : ''),
  });
  const budgetS = Math.ceil(((o.digits?.length ?? 0) * gap + (o.firstDigitAfterMs ?? 0) + o.holdMs) / 1000) + 30;
  return runSipp('caller', CARRIER_IP, await freePort(CARRIER_IP, 40000), [`${o.host ?? PBX_IP}:${o.port ?? PBX_PORT}`, '-sf', scenario, '-s',
    o.number ?? '12355', '-mi', CARRIER_IP, '-mp', String(await freePort(CARRIER_IP, 45000, 4)), '-m', '1', '-aa', '-timeout', `${budgetS}s`, '-timeout_error'], dir);
}

export const callHotline = async (o: CallOptions): Promise<SippResult> => (await startCall(o)).done;

export type PeerMode = 'answer' | 'busy' | 'no-answer';
/** `invites()`: INVITEs received so far, with their headers (from, p-asserted-identity, ...). */
export interface Peer extends SippRun { port: number; invites(): SipMessage[] }
interface PeerOptions { mode: PeerMode; talkMs?: number; ringMs?: number }
const SCENARIO_OF: Record<PeerMode, string> = { answer: 'answer.xml', busy: 'busy.xml', 'no-answer': 'ring.xml' };
const peerScenario = (dir: string, o: PeerOptions, talkMs: number) =>
  renderScenario(dir, SCENARIO_OF[o.mode], { TALK_MS: o.talkMs ?? talkMs, RING_MS: o.ringMs ?? 0 });
const asPeer = (run: SippRun, port: number): Peer =>
  ({ ...run, port, invites: () => run.messages().filter((m) => m.direction === 'received' && m.firstLine.startsWith('INVITE ')) });

export interface PhoneOptions {
  sipUser: string;
  /** Default: the user's in var/test/secrets.json. */
  password?: string;
  dir: string;
  /** The phone's SIP port and first RTP port, on 127.0.0.1. */
  port: number;
  mediaPort: number;
  pbxPort?: number;
  /** Where it registers: the PBX (127.0.0.1) or the cluster's SIP edge. */
  pbxHost?: string;
  /** Its out-of-call scenario: INVITEs have Call-IDs the REGISTER "call" does not know. */
  scenario: string;
}

/**
 * A phone registered as `sipUser` from 127.0.0.1; resolves once registered. `stop()` also
 * unregisters it from the same port, so the PBX does not keep ringing a dead contact.
 */
export async function registeredPhone(o: PhoneOptions): Promise<Peer> {
  const password = o.password ?? readSecrets(join(ROOT, 'var/test/secrets.json')).sip[o.sipUser];
  if (!password) throw new Error(`sipp: no password for ${o.sipUser} in var/test/secrets.json`);
  const pbx = `${o.pbxHost ?? PBX_IP}:${o.pbxPort ?? PBX_PORT}`;
  const reg = (expires: number, lifeMs: number) =>
    renderScenario(o.dir, 'register.xml', { USER: o.sipUser, PASSWORD: password, EXPIRES: expires, LIFETIME_MS: lifeMs });
  const media = ['-mi', PBX_IP, '-mp', String(o.mediaPort)];
  const run = runSipp('phone', PBX_IP, o.port, [pbx, '-sf', reg(300, 3_600_000), '-oocsf', o.scenario, '-m', '1', ...media], o.dir);
  const deadline = Date.now() + 10_000;
  while (!saw({ messages: run.messages() }, 'received', 200, 'REGISTER')) {
    if (Date.now() > deadline || run.messages().some((m) => /^SIP\/2\.0 [3-6]\d\d/.test(m.firstLine) && !m.firstLine.includes(' 401 '))) {
      throw new Error(`sipp: ${o.sipUser} did not register\n${(await run.stop()).log}`);
    }
    await sleep(50);
  }
  const stop = async () => {
    const r = await run.stop();
    await runSipp('unregister', PBX_IP, o.port, [pbx, '-sf', reg(0, 0), '-m', '1', '-timeout', '5s', ...media], o.dir).done;
    return r;
  };
  return { ...asPeer(run, o.port), stop };
}

/** A counsellor phone (sipUser 1001, ...) answering, busy or ringing out as `answer` says. `port` is the phone's own. */
export async function counsellorPhone(o: { sipUser: string; password?: string; answer?: boolean | PeerMode; talkMs?: number;
  ringMs?: number; port?: number; pbxPort?: number; pbxHost?: string }): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), `sipp-phone-${o.sipUser}-`));
  const mode = o.answer === false ? 'no-answer' : o.answer === true || o.answer === undefined ? 'answer' : o.answer;
  return registeredPhone({
    sipUser: o.sipUser, password: o.password, dir, port: o.port ?? (await freePort(PBX_IP, 40000)), mediaPort: await freePort(PBX_IP, 45000, 4),
    pbxPort: o.pbxPort, pbxHost: o.pbxHost, scenario: peerScenario(dir, { ...o, mode }, 2000),
  });
}

/** A UAS standing in for the 110 line (sip:110@127.0.0.1:5070 in the test profile; 5072 is the fallback). */
export function policeUas(o: PeerOptions & { port?: number }): Promise<Peer> {
  return uasAt('110', PBX_IP, o.port ?? POLICE_PORT, o, 600_000);
}

/** This slot's carrier port for calls going out (callbacks): sip:<number>@127.0.0.2:5090 in slot 0. */
export const CARRIER_OUT_PORT = Number(new URL(profilePorts('test', testSlot()).carrierOutUri.replace('sip:', 'sip://')).port);

/** A UAS at the carrier's side standing in for a caller's phone that the hotline calls back. */
export function callerPhoneUas(o: PeerOptions): Promise<Peer> {
  return uasAt('carrier', CARRIER_IP, CARRIER_OUT_PORT, o, 4000);
}

async function uasAt(label: string, host: string, port: number, o: PeerOptions, talkMs: number): Promise<Peer> {
  if (!(await udpFree(host, port))) throw new Error(`sipp: UDP ${host}:${port} is taken (a SIPp left from an earlier run?)`);
  const dir = mkdtempSync(join(tmpdir(), `sipp-${label}-${port}-`));
  const run = runSipp('uas', host, port, ['-sf', peerScenario(dir, o, talkMs), '-mi', host, '-mp', String(await freePort(host, 45000, 4))], dir);
  let ended = false;
  void run.done.then(() => (ended = true));
  for (const until = Date.now() + 5000; await udpFree(host, port); await sleep(50)) {
    if (ended || Date.now() > until) throw new Error(`sipp: ${label} UAS did not bind port ${port}\n${(await run.stop()).log}`);
  }
  return asPeer(run, port);
}
