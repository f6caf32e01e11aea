import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * RFC 4733 DTMF captures for SIPp's play_pcap_audio, for any key. Each capture is made from
 * sip-tester's one for '1' by patching the event code. SIPp replays RTP headers as captured, and
 * Asterisk drops an event whose timestamp it has seen (or whose sequence number went back), so
 * the shipped files only work once each and in capture order: every key press of a call gets its
 * own file here, with sequence number and timestamp moved forward by its place in the call.
 */

export const SIPP_PCAP_DIR = '/usr/share/sip-tester';
const TEMPLATE = join(SIPP_PCAP_DIR, 'dtmf_2833_1.pcap');

const EVENT_CODES: Record<string, number> = {
  '0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9,
  '*': 10, '#': 11, A: 12, B: 13, C: 14, D: 15,
};

const NAMES: Record<string, string> = { '*': 'star', '#': 'pound' };

function ipv4Checksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  return c === 0 ? 0xffff : c; // 0 would mean "no checksum" for UDP
}

function udpChecksum(ip: Buffer, udp: Buffer): number {
  let sum = 0;
  const add16 = (b: Buffer, off: number) => {
    sum += (b[off]! << 8) | (off + 1 < b.length ? b[off + 1]! : 0);
  };
  for (const off of [12, 14, 16, 18]) add16(ip, off); // source and destination addresses
  sum += 17 + udp.length;
  for (let off = 0; off < udp.length; off += 2) if (off !== 6) add16(udp, off);
  return ipv4Checksum(sum);
}

/** A copy of the pcap `src` with every RFC 4733 event set to `code`, as key press number `press` of a call. */
export function patchDtmfPcap(src: Buffer, code: number, press?: number): Buffer {
  const out = Buffer.from(src);
  if (out.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('dtmf pcap: expected little-endian pcap');
  if (out.readUInt32LE(20) !== 1) throw new Error('dtmf pcap: expected Ethernet link type');
  let rec = 24;
  let patched = 0;
  let firstSeq: number | undefined;
  while (rec + 16 <= out.length) {
    const len = out.readUInt32LE(rec + 8);
    const eth = rec + 16;
    rec = eth + len;
    if (out.readUInt16BE(eth + 12) !== 0x0800) continue;
    const ipStart = eth + 14;
    const ipLen = (out[ipStart]! & 0x0f) * 4;
    if (out[ipStart + 9] !== 17) continue;
    const udpStart = ipStart + ipLen;
    const udpLen = out.readUInt16BE(udpStart + 4);
    const rtp = udpStart + 8;
    const csrc = out[rtp]! & 0x0f;
    out[rtp + 12 + csrc * 4] = code;
    if (press !== undefined) {
      firstSeq ??= out.readUInt16BE(rtp + 2);
      out.writeUInt16BE((1000 + press * 16 + out.readUInt16BE(rtp + 2) - firstSeq) & 0xffff, rtp + 2);
      out.writeUInt32BE((8000 + press * 16_000) >>> 0, rtp + 4); // one event: one timestamp
    }
    const udp = out.subarray(udpStart, udpStart + udpLen);
    udp.writeUInt16BE(udpChecksum(out.subarray(ipStart, ipStart + ipLen), udp), 6);
    patched++;
  }
  if (patched === 0) throw new Error('dtmf pcap: no RTP packets found');
  return out;
}

/** Path of a pcap that plays `key` (0-9, *, #, A-D) as press number `press` (0, 1, ...) of a call. */
export function dtmfPcap(key: string, press = 0, dir = join(tmpdir(), 'hotline-e2e-dtmf')): string {
  const code = EVENT_CODES[key.toUpperCase()];
  if (code === undefined) throw new Error(`dtmf pcap: no DTMF event for key ${JSON.stringify(key)}`);
  const file = join(dir, `dtmf_2833_${NAMES[key] ?? key.toUpperCase()}_${press}.pcap`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${file}.${process.pid}`, patchDtmfPcap(readFileSync(TEMPLATE), code, press));
    renameSync(`${file}.${process.pid}`, file); // whole or absent, even with two writers
  }
  return file;
}
