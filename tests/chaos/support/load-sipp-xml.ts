import { dtmfPcap } from '../../e2e/support/dtmf-pcap.ts';

/**
 * SIPp scenarios for load mode: one SIPp places many calls, each taking one of several caller
 * behaviours chosen at random when the call starts (as bench/bench-sipp.ts picks talk times); one
 * SIPp registers many counsellor identities from one address and answers their INVITEs with a
 * behaviour chosen per INVITE. Every wait is a receive with a timeout, so a BYE or a re-INVITE
 * is taken whenever it comes. A BYE from the PBX always ends a caller's call successfully: who hung
 * up is judged afterwards from the trace and the call records, not by SIPp.
 */

export type Step =
  | { key: string; afterMs: number }
  | { hangupAfterMs: number }
  /** Wait this long for the PBX's BYE; then hang up. */
  | { waitByeMs: number };

export interface CallerPlan {
  /** One digit: it becomes part of the caller's number (<prefix><digit><call number>), so records tell the behaviour. */
  tag: string;
  weight: number;
  steps: Step[];
}

const SDP = (version: number) => `
      v=0
      o=- 1 ${version} IN IP[local_ip_type] [media_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=sendrecv
`;

const msg = (attrs: string, lines: string[], sdp?: number) =>
  `  <send${attrs}><![CDATA[\n${lines.map((l) => `      ${l}`).join('\n')}\n${sdp === undefined ? '\n' : SDP(sdp)}\n  ]]></send>`;

const reply200 = (sdp: boolean) => msg('', ['SIP/2.0 200 OK', '[last_Via:]', '[last_From:]', '[last_To:]', '[last_Call-ID:]', '[last_CSeq:]',
  'Contact: <sip:[local_ip]:[local_port];transport=[transport]>', ...(sdp ? ['Content-Type: application/sdp', 'Content-Length: [len]'] : ['Content-Length: 0'])], sdp ? 2 : undefined);

/** 200 OK to the BYE just received. */
const byeOk = (attrs: string) => msg(attrs, ['SIP/2.0 200 OK', '[last_Via:]', '[last_From:]', '[last_To:]', '[last_Call-ID:]', '[last_CSeq:]', 'Content-Length: 0']);

/** Weighted choice among `n` branches on variable r (0..100), as SIPp tests; returns the action lines and jumps. */
function choose(weights: number[], prefix: string): { actions: string; jumps: string } {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const tests = weights.map((w, i) => {
    acc += w;
    return `      <test assign_to="${prefix}${i}" variable="r" compare="less_than" value="${((acc / total) * 100).toFixed(3)}"/>`;
  });
  return {
    actions: `    <action>\n      <sample assign_to="r" distribution="uniform" min="0" max="100"/>\n${tests.join('\n')}\n    </action>`,
    // The first test that holds wins: r < cumulative weight.
    jumps: weights.map((_, i) => `  <nop next="${prefix}go${i}" test="${prefix}${i}"/>`).join('\n') + `\n  <nop next="${prefix}go${weights.length - 1}"/>`,
  };
}

/** Caller scenario: each call takes one plan, dials `[service]` from 127.0.0.2 as <prefix><tag><n>, and follows its steps. */
export function callerXml(plans: CallerPlan[], answerTimeoutMs: number, prefix: string): string {
  const { actions, jumps } = choose(plans.map((p) => p.weight), 'c');
  const branches = plans.map((p, b) => {
    const from = `From: <sip:${prefix}${p.tag}[call_number]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]`;
    const contact = `Contact: <sip:${prefix}${p.tag}[call_number]@[local_ip]:[local_port]>`;
    const inDialog = (m: string, cseq: string) => msg(m === 'ACK' ? '' : ' retrans="500"', [`${m} [next_url] SIP/2.0`,
      'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]', from, 'To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]',
      'Call-ID: [call_id]', `CSeq: ${cseq}`, '[routes]', contact, 'Max-Forwards: 70', 'Content-Length: 0']);
    let pressed = 0;
    const steps = p.steps.map((s, i) => {
      const at = `b${b}s${i}`;
      // Wait `ms` for a BYE (re-INVITEs answered meanwhile), then do `then`.
      const wait = (ms: number, then: string) => [
        `  <label id="${at}"/>`,
        `  <recv request="INVITE" optional="true" next="${at}ri" timeout="${Math.max(1, ms)}" ontimeout="${at}do"/>`,
        '  <recv request="BYE" next="byeok"/>',
        `  <label id="${at}ri"/>`, reply200(true), `  <recv request="ACK" next="${at}"/>`,
        `  <label id="${at}do"/>`, then,
      ].join('\n');
      if ('key' in s) return wait(s.afterMs, `  <nop><action><exec play_pcap_audio="${dtmfPcap(s.key, pressed++)}"/></action></nop>`);
      const ms = 'hangupAfterMs' in s ? s.hangupAfterMs : s.waitByeMs;
      return wait(ms, `  <nop next="b${b}bye"/>`);
    });
    return [
      `  <label id="cgo${b}"/>`,
      msg(' retrans="500"', ['INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0', 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]',
        from, 'To: <sip:[service]@[remote_ip]:[remote_port]>', 'Call-ID: [call_id]', 'CSeq: 1 INVITE', contact, 'Max-Forwards: 70',
        `Subject: chaos load ${p.tag}`, 'Content-Type: application/sdp', 'Content-Length: [len]'], 1),
      '  <recv response="100" optional="true"/>', '  <recv response="180" optional="true"/>', '  <recv response="183" optional="true"/>',
      `  <recv response="200" rtd="true" rrs="true" timeout="${answerTimeoutMs}"/>`,
      inDialog('ACK', '1 ACK'),
      ...steps,
      `  <nop next="b${b}bye"/>`,
      // The PBX may hang up at the same moment (glare): its BYE is answered, then ours is.
      `  <label id="b${b}bye"/>`, inDialog('BYE', '2 BYE'), `  <recv request="BYE" optional="true" next="b${b}glare" timeout="8000"/>`,
      '  <recv response="481" optional="true" next="end"/>', '  <recv response="200" next="end"/>',
      `  <label id="b${b}glare"/>`, byeOk(''), '  <recv response="481" optional="true" next="end" timeout="8000"/>', '  <recv response="200" next="end"/>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="chaos load caller">
  <nop>
${actions}
  </nop>
${jumps}
${branches.join('\n')}
  <label id="byeok"/>
${byeOk(' next="end"')}
  <label id="end"/>
</scenario>
`;
}

export interface PhoneMix {
  /** Answer at once, talk one of `talkMs` (chosen at random), hang up. */
  answer: number;
  /** Ring until the PBX cancels (the service's ring timeout). */
  noAnswer: number;
  /** 486 Busy Here. */
  busy: number;
  /** Answer, press '*' (escalation to 110) after 1 s, talk, hang up. */
  escalate: number;
  talkMs: number[];
}

/**
 * Out-of-call scenario of the counsellor bank: OPTIONS (qualify) get 200; each INVITE takes one
 * behaviour of the mix. The INVITE's Via and CSeq are kept for the 487 after a CANCEL.
 */
export function phoneXml(mix: PhoneMix): string {
  const talks = mix.talkMs;
  const weights = [...talks.map(() => mix.answer / talks.length), mix.noAnswer, mix.busy, mix.escalate];
  const { actions, jumps } = choose(weights, 'p');
  const ringing = msg('', ['SIP/2.0 180 Ringing', '[last_Via:]', '[last_From:]', '[last_To:];tag=p[$cid]', '[last_Call-ID:]', '[last_CSeq:]',
    'Contact: <sip:[local_ip]:[local_port];transport=[transport]>', 'Content-Length: 0']);
  const ok = msg(' retrans="500"', ['SIP/2.0 200 OK', '[last_Via:]', '[last_From:]', '[last_To:];tag=p[$cid]', '[last_Call-ID:]', '[last_CSeq:]',
    'Contact: <sip:[local_ip]:[local_port];transport=[transport]>', 'Content-Type: application/sdp', 'Content-Length: [len]'], 1);
  const talk = (id: string, ms: number) => [
    `  <label id="${id}"/>`,
    `  <recv request="INVITE" optional="true" next="${id}ri" timeout="${ms}" ontimeout="hangup"/>`,
    '  <recv request="BYE" next="byeok"/>',
    `  <label id="${id}ri"/>`, reply200(true), `  <recv request="ACK" next="${id}"/>`,
  ].join('\n');
  const answerBranches = talks.map((ms, i) => [`  <label id="pgo${i}"/>`, ringing, ok, '  <recv request="ACK"/>', talk(`t${i}`, ms)].join('\n'));
  const n = talks.length;
  const noAnswer = [`  <label id="pgo${n}"/>`, ringing, '  <recv request="CANCEL"/>',
    msg('', ['SIP/2.0 200 OK', '[last_Via:]', '[last_From:]', '[last_To:];tag=p[$cid]', '[last_Call-ID:]', '[last_CSeq:]', 'Content-Length: 0']),
    msg('', ['SIP/2.0 487 Request Terminated', 'Via: [$via]', '[last_From:]', '[last_To:];tag=p[$cid]', '[last_Call-ID:]', 'CSeq: [$cseq]', 'Content-Length: 0']),
    '  <recv request="ACK" next="end"/>'].join('\n');
  const busy = [`  <label id="pgo${n + 1}"/>`,
    msg('', ['SIP/2.0 486 Busy Here', '[last_Via:]', '[last_From:]', '[last_To:];tag=p[$cid]', '[last_Call-ID:]', '[last_CSeq:]', 'Content-Length: 0']),
    '  <recv request="ACK" next="end"/>'].join('\n');
  const escalate = [`  <label id="pgo${n + 2}"/>`, ringing, ok, '  <recv request="ACK"/>',
    '  <label id="esc"/>',
    '  <recv request="INVITE" optional="true" next="escri" timeout="1000" ontimeout="star"/>',
    '  <recv request="BYE" next="byeok"/>',
    '  <label id="escri"/>', reply200(true), '  <recv request="ACK" next="esc"/>',
    '  <label id="star"/>', `  <nop><action><exec play_pcap_audio="${dtmfPcap('*', 0)}"/></action></nop>`,
    talk('et', Math.max(...talks)), '  <nop next="hangup"/>'].join('\n');
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="chaos counsellor bank">
  <recv request="OPTIONS" optional="true" next="options"/>
  <recv request="INVITE" rrs="true">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="remote"/>
      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="me"/>
      <ereg regexp=".*" search_in="hdr" header="Via:" assign_to="via"/>
      <ereg regexp=".*" search_in="hdr" header="CSeq:" assign_to="cseq"/>
      <ereg regexp="[0-9A-Za-z.-]+" search_in="hdr" header="Call-ID:" assign_to="cid"/>
    </action>
  </recv>
  <nop>
${actions}
  </nop>
${jumps}
${answerBranches.join('\n')}
${noAnswer}
${busy}
${escalate}
  <label id="hangup"/>
${msg(' retrans="500"', ['BYE [next_url] SIP/2.0', 'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-bye-[$cid]', 'From: [$me];tag=p[$cid]',
    'To: [$remote]', '[last_Call-ID:]', 'CSeq: 1 BYE', '[routes]', 'Max-Forwards: 70', 'Content-Length: 0'])}
  <recv request="BYE" optional="true" next="glare" timeout="8000"/>
  <recv response="481" optional="true" next="end"/>
  <recv response="200" next="end"/>
  <label id="glare"/>
${byeOk('')}
  <recv response="481" optional="true" next="end" timeout="8000"/>
  <recv response="200" next="end"/>
  <label id="byeok"/>
${byeOk(' next="end"')}
  <label id="options"/>
${msg('', ['SIP/2.0 200 OK', '[last_Via:]', '[last_From:]', '[last_To:];tag=[pid]SIPpTag02[call_number]', '[last_Call-ID:]', '[last_CSeq:]', 'Content-Length: 0'])}
  <label id="end"/>
</scenario>
`;
}

/** Registers (or with expires 0 unregisters) one identity per "call", the user from the -inf file (load counsellors have no digest). */
export function registerXml(expires: number, lifeMs: number): string {
  const register = (cseq: number, auth: string[]) => msg(' retrans="500"', ['REGISTER sip:[remote_ip]:[remote_port] SIP/2.0',
    'Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]', 'From: <sip:[field0]@[remote_ip]:[remote_port]>;tag=[pid]SIPpTag00[call_number]',
    'To: <sip:[field0]@[remote_ip]:[remote_port]>', 'Call-ID: [call_id]', `CSeq: ${cseq} REGISTER`, 'Contact: <sip:[field0]@[local_ip]:[local_port]>',
    ...auth, `Expires: ${expires}`, 'Max-Forwards: 70', 'User-Agent: hotline-chaos-bank', 'Content-Length: 0']);
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="chaos bank register">
${register(2, [])}
  <recv response="100" optional="true"/>
  <recv response="200"/>
  <pause milliseconds="${lifeMs}"/>
</scenario>
`;
}
