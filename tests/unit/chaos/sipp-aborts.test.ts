import { describe, expect, it } from 'vitest';
import { sippAborts } from '../../chaos/support/load-verdict.ts';

const STAMP = '2026-12-06\t16:00:00.000000\t1796572800.000000: ';
const abort = (callId: string, expecting: string, index: number, received: string) =>
  `${STAMP}Aborting call on unexpected message for Call-Id '${callId}': while expecting '${expecting}' (index ${index}), received '${received}\nVia: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-1\nCall-ID: ${callId}\nContent-Length: 0\n\n'.\n`;

describe('sippAborts', () => {
  it('counts each kind of unexpected message once, most frequent first, without call ids', () => {
    const log = [
      abort('1-1@127.0.0.2', '200', 41, 'BYE sip:1391@127.0.0.2:30000 SIP/2.0'),
      abort('1-2@127.0.0.2', 'ACK', 12, 'INVITE sip:1391@127.0.0.2:30000 SIP/2.0'),
      abort('1-3@127.0.0.2', '200', 41, 'BYE sip:1392@127.0.0.2:30000 SIP/2.0'),
      `${STAMP}Call-Id: 1-4@127.0.0.2 timed out\n`,
    ].join('');
    expect(sippAborts(log)).toEqual([
      '2× expecting 200 (index 41), received BYE',
      '1× expecting ACK (index 12), received INVITE',
    ]);
  });

  it('keeps a response\'s status and reason', () => {
    expect(sippAborts(abort('1-9@x', '200', 7, 'SIP/2.0 503 Service Unavailable'))).toEqual(['1× expecting 200 (index 7), received SIP/2.0 503 Service']);
  });

  it('answers nothing for a log without aborts', () => {
    expect(sippAborts('')).toEqual([]);
  });
});
