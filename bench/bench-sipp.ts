/**
 * SIPp peers for the benchmarks: a counsellor phone that registers and answers, callers that wait
 * for a counsellor, and load callers that hang up after a few seconds. Every SIPp writes a
 * -trace_msg log whose blocks carry SIPp's clock (microseconds), and a -trace_stat CSV.
 *
 * These processes are the benchmark's own: they are not written to the e2e suite's pid file
 * (whose clean-up would end them), and `stop()` ends exactly the SIPp it started.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CARRIER_IP, freePort, parseStatCsv, PBX_IP, spawnSipp } from '../tests/support/sipp-process.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One SIP message of a -trace_msg log; `at` is SIPp's clock in epoch milliseconds (µs resolution). */
export interface TracedMessage {
  at: number;
  direction: 'sent' | 'received';
  firstLine: string;
  callId: string;
  cseq: string;
  /** Whether the To header has a tag: false for a dialog-creating INVITE, true for a re-INVITE. */
  toTag: boolean;
  /** The audio port of the message's SDP (`m=audio`), when it carries one: where that side sends RTP from. */
  sdpAudioPort?: number;
  /** The Contact header ('' if none): whoever answered, behind a proxy that only record-routes. */
  contact: string;
}

/**
 * Parses a -trace_msg log: blocks start with "----- YYYY-MM-DD HH:MM:SS.uuuuuu" (local time), then
 * "UDP message sent|received ...", a blank line and the message.
 */
export function parseTrace(text: string): TracedMessage[] {
  const out: TracedMessage[] = [];
  const re = /^-{20,} (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.(\d{6})\n\S+ message (sent|received)[^\n]*\n\s*\n([^\n]*)\n([\s\S]*?)(?=^-{20,} |(?![\s\S]))/gm;
  for (const m of text.replace(/\r/g, '').matchAll(re)) {
    const [, date, time, micro, dir, first, rest] = m as unknown as [string, string, string, string, string, string, string];
    const [head = '', ...body] = rest.split('\n\n');
    const audio = /^m=audio (\d+)/m.exec(body.join('\n\n'))?.[1];
    const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
    out.push({
      at: new Date(`${date}T${time}`).getTime() + Number(micro) / 1000,
      direction: dir as 'sent' | 'received',
      firstLine: first.trim(),
      callId: header('Call-ID') || header('i'),
      cseq: header('CSeq'),
      toTag: /;\s*tag=/i.test(header('To') || header('t')),
      ...(audio ? { sdpAudioPort: Number(audio) } : {}),
      contact: header('Contact') || header('m'),
    });
  }
  return out;
}

export interface SippRun {
  dir: string;
  pid: number;
  /** The trace so far (SIPp writes it as it goes). */
  trace(): TracedMessage[];
  stats(): Record<string, string>;
  /** Resolves with SIPp's exit code when it ends by itself. */
  done: Promise<number | null>;
  /** SIGTERM, then SIGKILL after 3 s; resolves with the exit code. */
  stop(): Promise<number | null>;
  log(): string;
}

function runSipp(name: string, dir: string, ip: string, port: number, args: string[]): SippRun {
  // -fd 1: a statistics row every second (SIPp's default is one a minute).
  const sipp = spawnSipp({ name, dir, host: ip, port, args: [...args, '-fd', '1'], killAfterMs: 3000 });
  return {
    dir,
    pid: sipp.child.pid ?? 0,
    trace: () => parseTrace(sipp.read('messages.log')),
    stats: () => parseStatCsv(sipp.read('stats.csv')),
    done: sipp.exited,
    stop: () => sipp.stop(),
    log: () => sipp.log(4000),
  };
}

// ---------------------------------------------------------------------------------------------
// Scenarios. SIPp's [last_*] keywords copy headers of the message just received.

const sdp = (mediaPort = '[media_port]') => `v=0
      o=- 1 1 IN IP[local_ip_type] [media_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio ${mediaPort} RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=sendrecv
`;

/** A <send> of one SIP message: its start and header lines, then the SDP when `sdp`. */
const send = (attrs: string, lines: string[], withSdp: boolean | string = false) =>
  `  <send${attrs}><![CDATA[\n${lines.map((l) => `      ${l}`).join('\n')}\n\n${withSdp ? `      ${sdp(typeof withSdp === 'string' ? withSdp : undefined)}\n` : ''}  ]]></send>`;

/** A response to the request just received (its Via, From, To, Call-ID and CSeq), `toTag` added to the To. */
const reply = (attrs: string, status: string, o: { toTag?: string; contact?: boolean; sdp?: boolean | string } = {}) => send(attrs, [
  `SIP/2.0 ${status}`, '[last_Via:]', '[last_From:]', `[last_To:]${o.toTag ? `;tag=${o.toTag}` : ''}`, '[last_Call-ID:]', '[last_CSeq:]',
  ...(o.contact ? ['Contact: <sip:[local_ip]:[local_port];transport=[transport]>'] : []),
  ...(o.sdp ? ['Content-Type: application/sdp', 'Content-Length: [len]'] : ['Content-Length: 0']),
], o.sdp);

const registerXml = (user: string, password: string, expires: number, lifeMs: number) => {
  const register = (cseq: number, auth: string[]) => send(' retrans="500"', [
    'REGISTER sip:[remote_ip]:[remote_port] SIP/2.0', 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]',
    `From: <sip:${user}@[remote_ip]:[remote_port]>;tag=[pid]SIPpTag00[call_number]`, `To: <sip:${user}@[remote_ip]:[remote_port]>`,
    'Call-ID: [call_id]', `CSeq: ${cseq} REGISTER`, `Contact: <sip:${user}@[local_ip]:[local_port]>`, ...auth,
    `Expires: ${expires}`, 'Max-Forwards: 70', 'User-Agent: hotline-bench-phone', 'Content-Length: 0',
  ]);
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bench phone register">
${register(1, [])}
  <recv response="100" optional="true"/>
  <recv response="401" auth="true"/>
${register(2, [`[authentication username=${user} password=${password}]`])}
  <recv response="100" optional="true"/>
  <recv response="200"/>
  <pause milliseconds="${lifeMs}"/>
</scenario>
`;
};

/** Number of evenly spaced talk times the phone picks from at random, per call. */
const TALK_STEPS = 11;

/**
 * The counsellor phone: answers at once, talks one of TALK_STEPS times evenly spread over
 * [talkMinMs, talkMaxMs] picked at random per call (so that talk times have no fixed phase
 * against app_queue's 1 s re-checks), then hangs up (BYE). Each talk time is its own branch with
 * a fixed receive timeout, chosen when the INVITE arrives, before the phone answers: nothing can
 * arrive between the steps. Re-INVITEs (Asterisk updating the connected line once bridged) are
 * answered; OPTIONS get 200.
 */
const answerXml = (talkMinMs: number, talkMaxMs: number) => {
  const talk = Array.from({ length: TALK_STEPS }, (_, i) => Math.round(talkMinMs + ((talkMaxMs - talkMinMs) * i) / (TALK_STEPS - 1)));
  const pick = talk.map((_, i) => `      <test assign_to="b${i}" variable="r" compare="less_than" value="${i + 1}"/>`).join('\n');
  const jumps = talk.map((_, i) => `  <nop next="t${i}" test="b${i}"/>`).join('\n');
  const branch = (ms: number, i: number) => `
  <label id="t${i}"/>
${reply('', '180 Ringing', { toTag: 'p[$cid]', contact: true })}
${reply(' retrans="500"', '200 OK', { toTag: 'p[$cid]', contact: true, sdp: true })}
  <recv request="ACK"/>
  <label id="talk${i}"/>
  <recv request="INVITE" optional="true" next="reinvite${i}" timeout="${ms}" ontimeout="hangup"/>
  <recv request="BYE" next="byeok"/>
  <label id="reinvite${i}"/>
${reply('', '200 OK', { contact: true, sdp: true })}
  <recv request="ACK" next="talk${i}"/>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bench answering phone">
  <recv request="OPTIONS" optional="true" next="options"/>
  <recv request="INVITE" rrs="true">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="remote"/>
      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="me"/>
      <ereg regexp="[0-9A-Za-z.-]+" search_in="hdr" header="Call-ID:" assign_to="cid"/>
      <sample assign_to="r" distribution="uniform" min="0" max="${TALK_STEPS}"/>
${pick}
    </action>
  </recv>
${jumps}
${talk.map(branch).join('\n')}
  <label id="byeok"/>
${reply(' next="end"', '200 OK')}
  <label id="hangup"/>
${send(' retrans="500"', [
    'BYE [next_url] SIP/2.0', 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-bye-[$cid]', 'From: [$me];tag=p[$cid]',
    'To: [$remote]', '[last_Call-ID:]', 'CSeq: 1 BYE', '[routes]', 'Max-Forwards: 70', 'Content-Length: 0',
  ])}
  <recv response="200" next="end"/>
  <label id="options"/>
${reply('', '200 OK', { toTag: '[pid]SIPpTag02[call_number]' })}
  <label id="end"/>
</scenario>
`;
};

/**
 * A caller: INVITE, the answer within `answerTimeoutMs` (else the call fails), ACK, then on the
 * line until the PBX hangs up or `holdMs` pass (then the caller hangs up). Re-INVITEs are answered.
 */
const callerXml = (answerTimeoutMs: number, holdMs: number, mediaPort?: number) => {
  const media = mediaPort === undefined ? true : String(mediaPort);
  const from = 'From: <sip:1380013[call_number]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]';
  /** ACK or BYE in the caller's dialog. */
  const inDialog = (request: string, cseq: string) => send(request === 'ACK' ? '' : ' retrans="500"', [
    `${request} [next_url] SIP/2.0`, 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]', from,
    'To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]', 'Call-ID: [call_id]', `CSeq: ${cseq}`, '[routes]', 'Max-Forwards: 70',
    'Content-Length: 0',
  ]);
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bench caller">
${send(' retrans="500"', [
    'INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0', 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]', from,
    'To: <sip:[service]@[remote_ip]:[remote_port]>', 'Call-ID: [call_id]', 'CSeq: 1 INVITE', 'Contact: <sip:1380013[call_number]@[local_ip]:[local_port]>',
    'Max-Forwards: 70', 'Subject: hotline bench', 'Content-Type: application/sdp', 'Content-Length: [len]',
  ], media)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" rrs="true" timeout="${answerTimeoutMs}"/>
${inDialog('ACK', '1 ACK')}
  <label id="talk"/>
  <recv request="INVITE" optional="true" next="reinvite" timeout="${holdMs}" ontimeout="hangup"/>
  <recv request="BYE"/>
${reply(' next="end"', '200 OK')}
  <label id="reinvite"/>
${reply('', '200 OK', { contact: true, sdp: media })}
  <recv request="ACK" next="talk"/>
  <label id="hangup"/>
${inDialog('BYE', '2 BYE')}
  <recv response="200" timeout="5000"/>
  <label id="end"/>
</scenario>
`;
};

/**
 * Where the benchmark's phones and callers send (the slot's PBX, or the cluster's Kamailio edge),
 * and how to end whatever calls a phase left (after `graceMs`), so none load the next phase.
 */
export interface BenchTarget { host: string; port: number; hangUpAll(graceMs?: number): Promise<unknown> }

export interface Phone extends SippRun { port: number; unregister(): Promise<void> }

/**
 * A counsellor SIP phone (e.g. 1001) registered from 127.0.0.1 that answers and hangs up after a
 * random talk time. It registers to the PBX, or to `pbxHost` (the cluster's Kamailio edge).
 */
export async function startPhone(o: { user: string; password: string; talkMinMs: number; talkMaxMs: number; pbxPort: number; pbxHost?: string }): Promise<Phone> {
  const dir = mkdtempSync(join(tmpdir(), `hotline-bench-phone-${o.user}-`));
  const port = await freePort(PBX_IP, 36000);
  const media = ['-mi', PBX_IP, '-mp', String(await freePort(PBX_IP, 38000, 4))];
  writeFileSync(join(dir, 'register.xml'), registerXml(o.user, o.password, 300, 3_600_000));
  writeFileSync(join(dir, 'unregister.xml'), registerXml(o.user, o.password, 0, 0));
  writeFileSync(join(dir, 'answer.xml'), answerXml(o.talkMinMs, o.talkMaxMs));
  const pbx = `${o.pbxHost ?? PBX_IP}:${o.pbxPort}`;
  const run = runSipp('phone', dir, PBX_IP, port, [pbx, '-sf', 'register.xml', '-oocsf', 'answer.xml', '-m', '1', ...media]);
  const until = Date.now() + 10_000;
  while (!run.trace().some((m) => m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200') && m.cseq.endsWith('REGISTER'))) {
    if (Date.now() > until) {
      await run.stop();
      throw new Error(`phone ${o.user} did not register\n${run.log()}`);
    }
    await sleep(50);
  }
  return {
    ...run,
    port,
    async unregister() {
      await run.stop();
      await runSipp('unregister', dir, PBX_IP, port, [pbx, '-sf', 'unregister.xml', '-m', '1', '-timeout', '5s', ...media]).done;
    },
  };
}

export interface CallerLoad {
  /** Number dialled at the PBX (or at `pbxHost`, e.g. the cluster's Kamailio edge). */
  number: string;
  pbxPort: number;
  pbxHost?: string;
  /** New calls per second (SIPp -r) and how many in all (-m). */
  rate: number;
  total: number;
  /** At most this many calls at once (-l); a finished call makes room for the next. */
  limit?: number;
  answerTimeoutMs: number;
  holdMs: number;
  /** Overall SIPp timeout (-timeout). */
  budgetS: number;
  /**
   * The audio port the callers' SDP offers, instead of SIPp's own media port: a socket of the
   * benchmark listening there sees when each call's first audio from the PBX arrives.
   */
  sdpMediaPort?: number;
}

/** Starts a SIPp UAC placing calls from the carrier's address (127.0.0.2). */
export async function startCallers(o: CallerLoad, label = 'callers'): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), `hotline-bench-${label}-`));
  writeFileSync(join(dir, 'caller.xml'), callerXml(o.answerTimeoutMs, o.holdMs, o.sdpMediaPort));
  const port = await freePort(CARRIER_IP, 36000);
  const args = [`${o.pbxHost ?? PBX_IP}:${o.pbxPort}`, '-sf', 'caller.xml', '-s', o.number, '-r', String(o.rate), '-m', String(o.total),
    ...(o.limit ? ['-l', String(o.limit)] : []), '-mi', CARRIER_IP, '-mp', String(await freePort(CARRIER_IP, 38000, 4)),
    '-timeout', `${o.budgetS}s`, '-timeout_error', '-max_socket', '2000'];
  return runSipp(label, dir, CARRIER_IP, port, args);
}
