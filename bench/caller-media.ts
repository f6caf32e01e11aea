/**
 * The audio a benchmark caller sends, as a pcap for SIPp's play_pcap_audio: one RTP stream (one
 * SSRC, sequence numbers and timestamps running on) of quiet G.711 µ-law speech-band tone in 20 ms
 * packets, like a phone that is picked up and held, with RFC 4733 key presses (payload type 101)
 * in place of the audio at given times. Keys and audio in one stream: a second play_pcap_audio
 * would replace the first, and a second stream would be a second source to Asterisk.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKET_MS = 20;
const SAMPLES = 160;
const PCMU = 0;
const TELEPHONE_EVENT = 101;
const SSRC = 0x12355011;
/** Packets a key is held for (100 ms), then three end packets as RFC 4733 asks. */
const KEY_PACKETS = 5;
const END_PACKETS = 3;

const EVENT_CODES: Record<string, number> = {
  '0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9, '*': 10, '#': 11,
};

function ulaw(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, sample));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function checksum16(b: Buffer, start = 0): number {
  let sum = start;
  for (let i = 0; i < b.length; i += 2) sum += (b[i]! << 8) | (i + 1 < b.length ? b[i + 1]! : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface TimedKey { key: string; atMs: number }

/** The RTP payloads in order (payload type, marker, timestamp, body), 20 ms apart. */
function rtpPackets(seconds: number, keys: TimedKey[]): Array<{ pt: number; marker: boolean; ts: number; body: Buffer }> {
  const total = Math.ceil((seconds * 1000) / PACKET_MS);
  const out: Array<{ pt: number; marker: boolean; ts: number; body: Buffer }> = [];
  const keyAt = new Map(keys.map((k) => [Math.round(k.atMs / PACKET_MS), k.key]));
  for (let n = 0; n < total; n++) {
    const key = keyAt.get(n);
    if (key !== undefined) {
      const code = EVENT_CODES[key];
      if (code === undefined) throw new Error(`caller media: no RFC 4733 code for key '${key}'`);
      const ts = n * SAMPLES;
      for (let i = 0; i < KEY_PACKETS + END_PACKETS; i++) {
        const end = i >= KEY_PACKETS;
        const duration = Math.min(i + 1, KEY_PACKETS) * SAMPLES;
        const body = Buffer.from([code, (end ? 0x80 : 0) | 10, duration >> 8, duration & 0xff]);
        out.push({ pt: TELEPHONE_EVENT, marker: i === 0, ts, body });
      }
      n += KEY_PACKETS + END_PACKETS - 1;
      continue;
    }
    // A quiet (about -30 dBFS) 300 Hz + 700 Hz mix: audio in the speech band, not silence.
    const body = Buffer.alloc(SAMPLES);
    for (let i = 0; i < SAMPLES; i++) {
      const t = (n * SAMPLES + i) / 8000;
      body[i] = ulaw(Math.round(520 * Math.sin(2 * Math.PI * 300 * t) + 520 * Math.sin(2 * Math.PI * 700 * t)));
    }
    out.push({ pt: PCMU, marker: n === 0, ts: n * SAMPLES, body });
  }
  return out;
}

/**
 * A pcap file of `seconds` of caller audio with `keys` pressed at their times from the start of
 * playback (the caller starts it right after acknowledging the answer). Written once per content.
 */
export function callerMediaPcap(seconds: number, keys: TimedKey[], dir = join(tmpdir(), 'hotline-bench-media')): string {
  const name = `caller_${seconds}s_${keys.map((k) => `${k.key === '#' ? 'pound' : k.key === '*' ? 'star' : k.key}@${k.atMs}`).join('_') || 'silent'}.pcap`;
  const file = join(dir, name);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const packets = rtpPackets(seconds, keys);
  const frames: Buffer[] = [];
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // Ethernet
  frames.push(header);
  const loopback = Buffer.from([127, 0, 0, 1]);
  packets.forEach((p, seq) => {
    const rtpLen = 12 + p.body.length;
    const udpLen = 8 + rtpLen;
    const ipLen = 20 + udpLen;
    const frame = Buffer.alloc(16 + 14 + ipLen);
    // Sent when its timestamp says: a key's packets follow each other 20 ms apart like the audio.
    const atMs = seq === 0 ? 0 : (p.ts / 8) + (p.pt === TELEPHONE_EVENT ? (packets.slice(0, seq).filter((q) => q.ts === p.ts).length * PACKET_MS) : 0);
    frame.writeUInt32LE(Math.floor(atMs / 1000), 0);
    frame.writeUInt32LE(Math.round((atMs % 1000) * 1000), 4);
    frame.writeUInt32LE(14 + ipLen, 8);
    frame.writeUInt32LE(14 + ipLen, 12);
    const eth = frame.subarray(16);
    eth.writeUInt16BE(0x0800, 12);
    const ip = eth.subarray(14);
    ip[0] = 0x45;
    ip.writeUInt16BE(ipLen, 2);
    ip.writeUInt16BE(seq & 0xffff, 4);
    ip[8] = 64;
    ip[9] = 17;
    loopback.copy(ip, 12);
    loopback.copy(ip, 16);
    ip.writeUInt16BE(checksum16(ip.subarray(0, 20)), 10);
    const udp = ip.subarray(20);
    udp.writeUInt16BE(40000, 0);
    udp.writeUInt16BE(40002, 2);
    udp.writeUInt16BE(udpLen, 4);
    const rtp = udp.subarray(8);
    rtp[0] = 0x80;
    rtp[1] = (p.marker ? 0x80 : 0) | p.pt;
    rtp.writeUInt16BE((1000 + seq) & 0xffff, 2);
    rtp.writeUInt32BE(p.ts >>> 0, 4);
    rtp.writeUInt32BE(SSRC, 8);
    p.body.copy(rtp, 12);
    const pseudo = 0x7f00 + 0x0001 + 0x7f00 + 0x0001 + 17 + udpLen;
    udp.writeUInt16BE(checksum16(udp, pseudo) || 0xffff, 6);
    frames.push(frame);
  });
  writeFileSync(`${file}.${process.pid}`, Buffer.concat(frames));
  renameSync(`${file}.${process.pid}`, file);
  return file;
}
