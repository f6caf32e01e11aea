import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profilePorts, testSlot } from '../../../src/config/profiles.ts';
import { CARRIER_IP, freePort as freeUdpPort, PBX_IP } from '../../support/sipp-process.ts';
import { dtmfPcap } from './dtmf-pcap.ts';
import { counsellorPhone, runSipp, saw, scenarioText, type Peer, type SippRun } from './sipp.ts';

/**
 * SIPp peers for the queue tests: sipp.ts's counsellor phone, and a caller built from
 * tests/e2e/sipp/caller.xml whose key presses have their own delays, and whose waits between keys
 * end on a BYE (sipp.ts's caller takes one gap for all keys and cannot take a BYE while it waits to
 * press the next one): used to press the callback key long after the menus.
 */

const PBX = `${PBX_IP}:${profilePorts('test', testSlot()).sipPort}`;
/** Even UDP ports in 30000-38999, away from the ranges sipp.ts's peers take (40000+). */
const freePort = (host: string, base: number, span = 1) => freeUdpPort(host, base, span, 2000);

export interface KeyPress {
  key: string;
  /** Wait before this key, from the previous key (or the answer); a BYE meanwhile ends the call. */
  afterMs: number;
}

export interface QueueCallerOptions {
  callerNumber: string;
  number?: string;
  /** Extra SIP headers on the INVITE, as a carrier would add them (e.g. `P-Called-Party-ID: <sip:075512355@carrier>`). */
  headers?: string[];
  keys?: KeyPress[];
  /** Time on the line after the last key: 'caller' then hangs up; 'remote' waits that long at most for a BYE. */
  holdMs: number;
  hangup: 'caller' | 'remote';
  /** Where the call goes (host:port): this slot's PBX by default, the SIP edge in the cluster tests. */
  pbx?: string;
}

export interface QueueCaller extends SippRun {
  callerNumber: string;
  /** Whether the hotline hung up on this caller (a BYE arrived) so far. */
  byeReceived(): boolean;
}

function callerScenario(o: QueueCallerOptions): string {
  const keys = (o.keys ?? []).map((k, i) => [
    `  <recv request="BYE" timeout="${Math.max(1, k.afterMs)}" ontimeout="key${i}" next="bye"/>`,
    `  <label id="key${i}"/>`,
    `  <nop><action><exec play_pcap_audio="${dtmfPcap(k.key, i)}"/></action></nop>`,
  ].join('\n')).join('\n');
  const text = scenarioText('caller.xml');
  const finalWait = '<recv request="BYE" {{BYE_WAIT}}/>';
  // {{DTMF}} on a line of its own (the template's header comment names it too).
  const keysAt = /^\{\{DTMF\}\}$/m;
  if (!text.includes(finalWait) || !keysAt.test(text)) throw new Error('queue caller: tests/e2e/sipp/caller.xml changed shape');
  const wait = `<recv request="BYE" timeout="${Math.max(1, o.holdMs)}"${o.hangup === 'caller' ? ' ontimeout="hangup"' : ''} next="bye"/>\n  <label id="bye"/>`;
  const subject = 'Subject: hotline e2e';
  if (o.headers?.length && !text.includes(subject)) throw new Error('queue caller: tests/e2e/sipp/caller.xml has no Subject header to add headers after');
  const withHeaders = o.headers?.length ? text.replace(subject, [subject, ...o.headers].join('\n      ')) : text;
  return withHeaders.replace(finalWait, wait).replace(keysAt, () => keys).replace(/\{\{CALLER\}\}/g, o.callerNumber);
}

/** Starts one call from the carrier address (127.0.0.2); `done` settles when SIPp exits. */
export async function startQueueCaller(o: QueueCallerOptions): Promise<QueueCaller> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-queue-caller-'));
  const file = join(dir, 'caller.xml');
  writeFileSync(file, callerScenario(o));
  const budgetS = Math.ceil(((o.keys ?? []).reduce((t, k) => t + k.afterMs, 0) + o.holdMs) / 1000) + 30;
  const run = runSipp('caller', CARRIER_IP, await freePort(CARRIER_IP, 30000), [o.pbx ?? PBX, '-sf', file, '-s', o.number ?? '12355',
    '-mi', CARRIER_IP, '-mp', String(await freePort(CARRIER_IP, 35000, 4)), '-m', '1', '-aa', '-timeout', `${budgetS}s`, '-timeout_error'], dir);
  const byeReceived = () => saw({ messages: run.messages() }, 'received', 'BYE');
  return { ...run, callerNumber: o.callerNumber, byeReceived };
}

export interface QueuePhone extends Peer {
  sipUser: string;
}

/**
 * A counsellor phone (sipUser 1001, ...) registered from 127.0.0.1 that answers (and hangs up after
 * `talkMs`) or lets every call ring out: sipp.ts's counsellorPhone, named by its user.
 */
export async function startQueuePhone(o: { sipUser: string; answer: boolean; talkMs?: number; ringMs?: number; pbxHost?: string; pbxPort?: number }): Promise<QueuePhone> {
  return { ...(await counsellorPhone(o)), sipUser: o.sipUser };
}
