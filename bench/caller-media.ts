/**
 * The audio a benchmark caller sends, as a pcap for SIPp's play_pcap_audio: one RTP stream (one
 * SSRC, sequence numbers and timestamps running on) of quiet G.711 µ-law speech-band tone in 20 ms
 * packets, like a phone that is picked up and held, with RFC 4733 key presses (payload type 101)
 * in place of the audio at given times. Keys and audio in one stream: a second play_pcap_audio
 * would replace the first, and a second stream would be a second source to Asterisk.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulaw, writeRtpPcapOnce } from '../tests/e2e/support/rtp-pcap.ts';

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
  return writeRtpPcapOnce(join(dir, name), () => {
    const packets = rtpPackets(seconds, keys);
    // Sent when its timestamp says: a key's packets follow each other 20 ms apart like the audio.
    return packets.map((p, seq) => ({
      ...p, seq: 1000 + seq, ssrc: SSRC,
      atMs: seq === 0 ? 0 : (p.ts / 8) + (p.pt === TELEPHONE_EVENT ? (packets.slice(0, seq).filter((q) => q.ts === p.ts).length * PACKET_MS) : 0),
    }));
  });
}
