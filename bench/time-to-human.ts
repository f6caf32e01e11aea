/**
 * Time to a human (issue #11): seconds from the answer (the caller's 200 OK) to the counsellor
 * phone's INVITE, through the real stack, for the paths a caller takes: silence, wrong keys, a
 * choice then a person (Mandarin, Cantonese), the emergency key, the exam line in and out of
 * season. One caller at a time, one free counsellor (SIPp phone 1001, registered; wrap-up 0).
 *
 *   HOTLINE_TEST_SLOT=5 node --import tsx bench/time-to-human.ts [--label after] [--runs 1]
 *     [--out var/bench/time-to-human.json] [--only silence,mandarin-0]
 *
 * Callers are SIPp from the carrier address (127.0.0.2) that send audio like a held phone (one RTP
 * stream of quiet speech-band tone, bench/caller-media.ts) with their keys as RFC 4733 events in
 * it, 3 s and 5.5 s after the answer as in the issue. Both times come from SIPp message traces
 * (one machine clock). The season comes from the service's clock, pinned with HOTLINE_NOW: June 1
 * (in season) or December 6 (out). `--label` names the result in the JSON file, which keeps the
 * other labels: run this script from a checkout of an older commit with `--out` pointing here to
 * measure "before" on the same rig.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { pbxForProfile } from '../src/adapters/asterisk/pbx-profile.ts';
import { CARRIER_IP, freePort, PBX_IP, spawnSipp } from '../tests/support/sipp-process.ts';
import { ROOT, startBenchPbx, type BenchPbx } from './bench-pbx.ts';
import { startBenchService, writeFixtureConfig } from './bench-service.ts';
import { parseTrace, startPhone, type Phone, type TracedMessage } from './bench-sipp.ts';
import { callerMediaPcap, type TimedKey } from './caller-media.ts';

export interface PathSpec {
  id: string;
  label: string;
  number: string;
  keys: TimedKey[];
  season: 'in' | 'out';
}

/** The issue's paths; keys at 3 s and 5.5 s after the answer (a third wrong key at 8 s). */
export const PATHS: PathSpec[] = [
  { id: 'silence', label: 'silence on 12355', number: '12355', keys: [], season: 'out' },
  { id: 'exam-closed-silence', label: 'exam line 123550 out of season, then silence', number: '123550', keys: [], season: 'out' },
  { id: 'wrong-keys', label: 'wrong keys 7, 8, #', number: '12355', keys: [{ key: '7', atMs: 3000 }, { key: '8', atMs: 5500 }, { key: '#', atMs: 8000 }], season: 'out' },
  { id: 'mandarin-0', label: '1 (Mandarin) then 0 (a person)', number: '12355', keys: [{ key: '1', atMs: 3000 }, { key: '0', atMs: 5500 }], season: 'out' },
  { id: 'cantonese-0', label: '2 (Cantonese) then 0', number: '12355', keys: [{ key: '2', atMs: 3000 }, { key: '0', atMs: 5500 }], season: 'out' },
  { id: 'emergency', label: '9 (emergency)', number: '12355', keys: [{ key: '9', atMs: 3000 }], season: 'out' },
  { id: 'exam-in-season', label: 'exam line 123550 in season', number: '123550', keys: [], season: 'in' },
];

/** The issue's figures (its author's rig, before any #11 work). */
export const ISSUE_BEFORE: Record<string, number> = {
  silence: 108.2, 'exam-closed-silence': 122.9, 'wrong-keys': 18.7, 'mandarin-0': 16.2, 'cantonese-0': 14.8, emergency: 3.2,
};

const SEASON_NOW = { in: '2026-06-01T10:00:00+08:00', out: '2026-12-06T10:00:00+08:00' } as const;
const PHONE_USER = '1001';
/** Longest a call may take to reach the phone before the run counts it as not put through. */
const CALL_LIMIT_S = 200;
const MEDIA_S = CALL_LIMIT_S + 10;
/**
 * The phone talks this long after answering, then hangs up: longer than the privacy notice, since
 * the phone may now answer while the caller still hears it, and hanging up before the bridge would
 * be giving the call back (a missed offer).
 */
const TALK_MS = 10_000;

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const LABEL = opt('--label') ?? 'after';
const RUNS = Math.max(1, Number(opt('--runs') ?? 1));
const OUT = resolve(opt('--out') ?? join(ROOT, 'var/bench/time-to-human.json'));
const ONLY = opt('--only')?.split(',');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`[time-to-human] ${line}\n`);

const SDP = ['v=0', 'o=- 1 1 IN IP[local_ip_type] [media_ip]', 's=-', 'c=IN IP[media_ip_type] [media_ip]', 't=0 0',
  'm=audio [media_port] RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=sendrecv'];
const msg = (attrs: string, lines: string[], sdp = false) =>
  `  <send${attrs}><![CDATA[\n${[...lines, ...(sdp ? ['Content-Type: application/sdp', 'Content-Length: [len]', '', ...SDP] : ['Content-Length: 0'])].map((l) => `      ${l}`).join('\n')}\n\n  ]]></send>`;

/** A caller that, once answered, plays `pcap` (audio and keys) and stays until the PBX hangs up. */
function callerXml(number: string, pcap: string): string {
  const from = `From: <sip:13800${number.slice(-3)}001@[local_ip]:[local_port]>;tag=[pid]TTH[call_number]`;
  const to = 'To: <sip:[service]@[remote_ip]:[remote_port]>';
  const reply = (attrs: string, sdp: boolean) => msg(attrs, ['SIP/2.0 200 OK', '[last_Via:]', '[last_From:]', '[last_To:]', '[last_Call-ID:]', '[last_CSeq:]',
    'Contact: <sip:caller@[local_ip]:[local_port]>'], sdp);
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="time-to-human caller">
${msg(' retrans="500"', [`INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0`, 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]', from, to,
    'Call-ID: [call_id]', 'CSeq: 1 INVITE', 'Contact: <sip:caller@[local_ip]:[local_port]>', 'Max-Forwards: 70', 'Subject: time to a human'], true)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rtd="true" rrs="true" timeout="10000"/>
${msg('', ['ACK [next_url] SIP/2.0', 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]', from, `${to}[peer_tag_param]`, 'Call-ID: [call_id]',
    'CSeq: 1 ACK', '[routes]', 'Max-Forwards: 70'])}
  <nop><action><exec play_pcap_audio="${pcap}"/></action></nop>
  <label id="wait"/>
  <recv request="INVITE" optional="true" next="reinvite" timeout="${CALL_LIMIT_S * 1000}" ontimeout="hangup"/>
  <recv request="BYE"/>
${reply(' next="end"', false)}
  <label id="reinvite"/>
${reply('', true)}
  <recv request="ACK" next="wait"/>
  <label id="hangup"/>
${msg(' retrans="500"', ['BYE [next_url] SIP/2.0', 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]', from, `${to}[peer_tag_param]`, 'Call-ID: [call_id]',
    'CSeq: 2 BYE', '[routes]', 'Max-Forwards: 70'])}
  <recv response="200" timeout="5000"/>
  <label id="end"/>
</scenario>
`;
}

interface CallResult { answeredAt: number; inviteAt: number | null; lastKeyAt: number | null; ms: number | null; lastKeyToInviteMs: number | null }

/** One call along `path`: answer → the phone's next INVITE, both from SIPp's traces. */
async function oneCall(pbx: BenchPbx, phone: Phone, path: PathSpec): Promise<CallResult> {
  const dir = mkdtempSync(join(tmpdir(), `hotline-tth-${path.id}-`));
  const pcap = callerMediaPcap(MEDIA_S, path.keys);
  writeFileSync(join(dir, 'caller.xml'), callerXml(path.number, pcap));
  const invitesBefore = phoneInvites(phone.trace()).length;
  const sipp = spawnSipp({
    name: 'caller', dir, host: CARRIER_IP, port: await freePort(CARRIER_IP, 36000), killAfterMs: 3000,
    args: [`${PBX_IP}:${pbx.params.sipPort}`, '-sf', 'caller.xml', '-s', path.number, '-m', '1', '-mi', CARRIER_IP,
      '-mp', String(await freePort(CARRIER_IP, 38000, 4)), '-timeout', `${CALL_LIMIT_S + 30}s`, '-timeout_error'],
  });
  await sipp.exited;
  const trace = parseTrace(sipp.read('messages.log'));
  const answer = trace.find((m) => m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200') && m.cseq.endsWith('INVITE'));
  if (!answer) throw new Error(`${path.id}: the call was not answered\n${sipp.log(2000)}`);
  // Let the phone's trace catch up with its last messages.
  await sleep(300);
  const invite = phoneInvites(phone.trace()).slice(invitesBefore).find((m) => m.at >= answer.at);
  const lastKeyAt = invite && path.keys.length > 0
    ? Math.max(...path.keys.map((k) => answer.at + k.atMs).filter((t) => t <= invite.at))
    : null;
  return {
    answeredAt: answer.at,
    inviteAt: invite?.at ?? null,
    lastKeyAt: lastKeyAt !== null && Number.isFinite(lastKeyAt) ? lastKeyAt : null,
    ms: invite ? invite.at - answer.at : null,
    lastKeyToInviteMs: invite && lastKeyAt !== null && Number.isFinite(lastKeyAt) ? invite.at - lastKeyAt : null,
  };
}

/** The phone's initial INVITEs (not re-INVITEs), once each. */
function phoneInvites(trace: TracedMessage[]): TracedMessage[] {
  const seen = new Set<string>();
  return trace.filter((m) => {
    if (m.direction !== 'received' || !m.firstLine.startsWith('INVITE ') || m.toTag || seen.has(m.callId)) return false;
    seen.add(m.callId);
    return true;
  });
}

const round1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const pbx = await startBenchPbx();
  const password = pbxForProfile(ROOT, 'test').secrets.sip[PHONE_USER];
  if (!password) throw new Error(`no SIP password for ${PHONE_USER}`);
  const config = writeFixtureConfig();
  const paths = PATHS.filter((p) => !ONLY || ONLY.includes(p.id));
  const results: Array<PathSpec & { calls: CallResult[]; seconds: number | null; lastKeyToInviteS: number | null }> = [];
  try {
    for (const season of ['out', 'in'] as const) {
      const mine = paths.filter((p) => p.season === season);
      if (mine.length === 0) continue;
      process.env.HOTLINE_NOW = SEASON_NOW[season];
      const svc = await startBenchService(`tth-${LABEL}-${season}`, config);
      try {
        for (const path of mine) {
          // A phone per path: its registration (300 s, never refreshed) must outlast the path's calls.
          const phone = await startPhone({ user: PHONE_USER, password, talkMinMs: TALK_MS, talkMaxMs: TALK_MS, pbxPort: pbx.params.sipPort });
          await sleep(3000); // the registration reaches the service; the counsellor becomes available
          const calls: CallResult[] = [];
          for (let i = 0; i < RUNS; i++) {
            const r = await oneCall(pbx, phone, path);
            say(`${LABEL} ${path.id} #${i + 1}: ${r.ms === null ? 'not put through' : `${round1(r.ms / 1000)} s`}${r.lastKeyToInviteMs !== null ? ` (last key → INVITE ${round1(r.lastKeyToInviteMs / 1000)} s)` : ''}`);
            calls.push(r);
            await sleep(1000); // the counsellor free again (wrap-up 0)
          }
          await phone.unregister();
          const secs = calls.flatMap((c) => (c.ms === null ? [] : [c.ms / 1000])).sort((a, b) => a - b);
          const keys = calls.flatMap((c) => (c.lastKeyToInviteMs === null ? [] : [c.lastKeyToInviteMs / 1000])).sort((a, b) => a - b);
          results.push({
            ...path, calls,
            seconds: secs.length === calls.length ? round1(secs[Math.floor((secs.length - 1) / 2)]!) : null,
            lastKeyToInviteS: keys.length > 0 ? round1(keys[Math.floor((keys.length - 1) / 2)]!) : null,
          });
        }
      } finally {
        await svc.stop();
      }
    }
  } finally {
    delete process.env.HOTLINE_NOW;
    await pbx.stop();
  }
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const noticeWav = join(ROOT, 'var/sounds/hotline/cmn/privacy_notice.wav');
  const file: Record<string, unknown> = existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, unknown> : {};
  file.issueBefore = ISSUE_BEFORE;
  file.paths = PATHS.map(({ id, label }) => ({ id, label }));
  // A run of some paths (--only) replaces those paths' results and keeps the others of its label.
  const earlier = (file[LABEL] as { results?: Array<{ id: string }> } | undefined)?.results ?? [];
  const fresh = results.map(({ id, seconds, lastKeyToInviteS, calls }) => ({ id, seconds, lastKeyToInviteS, samples: calls.map((c) => (c.ms === null ? null : round1(c.ms / 1000))) }));
  file[LABEL] = {
    measuredAt: new Date().toISOString(), commit, runsPerPath: RUNS, cpus: cpus().length, loadavg: loadavg().map(round1),
    noticeSeconds: existsSync(noticeWav) ? round1(wavSeconds(noticeWav)) : null,
    results: PATHS.flatMap((p) => fresh.find((r) => r.id === p.id) ?? earlier.find((r) => r.id === p.id) ?? []),
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(file, null, 2)}\n`);
  say(`wrote ${OUT}`);
}

function wavSeconds(file: string): number {
  const b = readFileSync(file);
  const data = b.indexOf('data');
  const byteRate = b.readUInt32LE(28);
  return data > 0 && byteRate > 0 ? b.readUInt32LE(data + 4) / byteRate : 0;
}

await main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
