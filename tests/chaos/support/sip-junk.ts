import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { sleep } from '../../e2e/support/wait.ts';

/**
 * Bad SIP input, sent over UDP from loopback addresses (127.0.0.x) to the PBX's SIP port only, in
 * bounded counts: random bytes, truncated INVITEs, wrong Content-Length, huge headers, and a flood
 * of well-formed INVITEs nobody acknowledges. Each sender counts the answers it gets by status.
 */

export interface JunkSender {
  /** Sends `datagrams` spread over `overMs`. */
  send(datagrams: Buffer[], overMs: number): Promise<void>;
  /** Answers received so far, by status line start ("SIP/2.0 401", ...; other: "other"). */
  answers(): Record<string, number>;
  close(): void;
}

export async function junkSender(from: string): Promise<JunkSender> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((res, rej) => socket.once('error', rej).bind(0, from, () => res()));
  const answers: Record<string, number> = {};
  socket.on('message', (m) => {
    const first = /^SIP\/2\.0 \d{3}/.exec(m.subarray(0, 20).toString('latin1'))?.[0] ?? 'other';
    answers[first] = (answers[first] ?? 0) + 1;
  });
  socket.on('error', () => undefined); // ICMP unreachable and the like: junk is fire and forget
  return {
    async send(datagrams, overMs) {
      const gap = datagrams.length > 1 ? overMs / datagrams.length : 0;
      for (const [i, d] of datagrams.entries()) {
        socket.send(d, target.port, target.host);
        if (gap >= 1 && i % 10 === 9) await sleep(gap * 10);
      }
    },
    answers: () => ({ ...answers }),
    close: () => socket.close(),
  };
}

const target = { host: '127.0.0.1', port: 0 };
export function junkTarget(port: number): void {
  target.port = port;
}

/** A well-formed INVITE to `number` from `from` (its own Call-ID, branch and tag), with an SDP. */
export function invite(o: { from: string; number: string; caller: string; extraHeaders?: string[]; contentLength?: number }): string {
  const id = randomBytes(8).toString('hex');
  const sdp = ['v=0', `o=- 1 1 IN IP4 ${o.from}`, 's=-', `c=IN IP4 ${o.from}`, 't=0 0', 'm=audio 9 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', ''].join('\r\n');
  return [
    `INVITE sip:${o.number}@${target.host}:${target.port} SIP/2.0`,
    `Via: SIP/2.0/UDP ${o.from}:5999;branch=z9hG4bK-${id}`,
    `From: <sip:${o.caller}@${o.from}>;tag=${id}`,
    `To: <sip:${o.number}@${target.host}:${target.port}>`,
    `Call-ID: junk-${id}@${o.from}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:${o.caller}@${o.from}:5999>`,
    'Max-Forwards: 70',
    ...(o.extraHeaders ?? []),
    'Content-Type: application/sdp',
    `Content-Length: ${o.contentLength ?? Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ].join('\r\n');
}

/** `n` datagrams of 1-1400 random bytes. */
export const randomDatagrams = (n: number): Buffer[] => Array.from({ length: n }, () => randomBytes(1 + Math.floor(Math.random() * 1400)));

/** INVITEs cut at a random point. */
export const truncatedInvites = (n: number, from: string, number: string): Buffer[] =>
  Array.from({ length: n }, (_, i) => {
    const text = Buffer.from(invite({ from, number, caller: `1370000${i}` }));
    return text.subarray(0, 10 + Math.floor(Math.random() * (text.length - 20)));
  });

/** INVITEs whose Content-Length says more, or less, than the body has. */
export const wrongLengthInvites = (n: number, from: string, number: string): Buffer[] =>
  Array.from({ length: n }, (_, i) => Buffer.from(invite({ from, number, caller: `1370001${i}`, contentLength: i % 2 ? 99_999 : 3 })));

/** INVITEs with one header of `bytes` bytes (up to UDP's limit). */
export const hugeHeaderInvites = (n: number, from: string, number: string, bytes: number): Buffer[] =>
  Array.from({ length: n }, (_, i) => Buffer.from(invite({ from, number, caller: `1370002${i}`, extraHeaders: [`X-Junk: ${'A'.repeat(bytes)}`] })));

/** Well-formed INVITEs, each a new call that is never acknowledged. */
export const floodInvites = (n: number, from: string, number: string, callerPrefix: string): Buffer[] =>
  Array.from({ length: n }, (_, i) => Buffer.from(invite({ from, number, caller: `${callerPrefix}${i}` })));
