/**
 * One loopback RTP stream written as a pcap for SIPp's play_pcap_audio, and G.711 µ-law: the media
 * of the e2e phones (a tone) and of the benchmark callers (audio with RFC 4733 keys).
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RtpPacket {
  /** When SIPp sends it, from the start of playback. */
  atMs: number;
  pt: number;
  marker: boolean;
  seq: number;
  ts: number;
  ssrc: number;
  body: Buffer;
}

/** G.711 µ-law of a 16-bit sample. */
export function ulaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const s = Math.min(Math.abs(sample), 32635) + 0x84;
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

/** The pcap bytes: Ethernet, IPv4 127.0.0.1 → 127.0.0.1, UDP 40000 → 40002 (SIPp rewrites the addresses). */
export function rtpPcap(packets: Iterable<RtpPacket>): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // Ethernet
  const frames: Buffer[] = [header];
  const loopback = Buffer.from([127, 0, 0, 1]);
  for (const p of packets) {
    const udpLen = 8 + 12 + p.body.length;
    const ipLen = 20 + udpLen;
    const frame = Buffer.alloc(16 + 14 + ipLen);
    frame.writeUInt32LE(Math.floor(p.atMs / 1000), 0);
    frame.writeUInt32LE(Math.round((p.atMs % 1000) * 1000), 4);
    frame.writeUInt32LE(14 + ipLen, 8);
    frame.writeUInt32LE(14 + ipLen, 12);
    const eth = frame.subarray(16);
    eth.writeUInt16BE(0x0800, 12);
    const ip = eth.subarray(14);
    ip[0] = 0x45;
    ip.writeUInt16BE(ipLen, 2);
    ip.writeUInt16BE(p.seq & 0xffff, 4);
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
    rtp.writeUInt16BE(p.seq & 0xffff, 2);
    rtp.writeUInt32BE(p.ts >>> 0, 4);
    rtp.writeUInt32BE(p.ssrc >>> 0, 8);
    p.body.copy(rtp, 12);
    const pseudo = 0x7f00 + 0x0001 + 0x7f00 + 0x0001 + 17 + udpLen;
    udp.writeUInt16BE(checksum16(udp, pseudo) || 0xffff, 6); // 0 would mean "no checksum"
    frames.push(frame);
  }
  return Buffer.concat(frames);
}

/** Writes `file` once (whole or absent, even with two writers) and returns its path. */
export function writeRtpPcapOnce(file: string, packets: () => Iterable<RtpPacket>): string {
  if (existsSync(file)) return file;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.${process.pid}`, rtpPcap(packets()));
  renameSync(`${file}.${process.pid}`, file);
  return file;
}
