import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

/**
 * REGISTERs with wrong passwords from one address, answered with a proper digest (RFC 2617, qop
 * auth) each time, then one with the right password from the same address: if that one is
 * accepted, the guessing address was not blocked. A registration that got through is removed.
 */

export interface BadRegistrationResult {
  wrongSent: number;
  /** Final answer to each wrong attempt (after the challenge), by status. */
  finalAnswers: Record<string, number>;
  accepted: number;
  /** Status of the REGISTER with the right password (0: no answer). */
  rightAnswer: number;
  blocked: boolean;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** A SIP UA at `from` that registers `user` on the PBX with a password of its choosing. */
export interface Registrar {
  /** One registration attempt with `password` (challenge, then digest); the final status, 0 for no answer. */
  attempt(password: string, expires?: number): Promise<number>;
  close(): void;
}

export async function registrar(o: { from: string; pbxPort: number; user: string }): Promise<Registrar> {
  const socket = createSocket('udp4');
  await new Promise<void>((res) => socket.bind(0, o.from, () => res()));
  const port = socket.address().port;
  const waiting = new Map<string, (m: string) => void>();
  socket.on('message', (buf) => {
    const m = buf.toString('latin1');
    const id = /^Call-ID:\s*(.+)$/im.exec(m)?.[1]?.trim() ?? '';
    if (/^SIP\/2\.0 1\d\d/.test(m)) return;
    waiting.get(id)?.(m);
  });
  const uri = `sip:127.0.0.1:${o.pbxPort}`;
  const send = (callId: string, cseq: number, expires: number, auth?: string) => new Promise<string>((res) => {
    const timer = setTimeout(() => (waiting.delete(callId), res('')), 4000);
    waiting.set(callId, (m) => (clearTimeout(timer), waiting.delete(callId), res(m)));
    const msg = [`REGISTER ${uri} SIP/2.0`, `Via: SIP/2.0/UDP ${o.from}:${port};rport;branch=z9hG4bK-${randomBytes(6).toString('hex')}`,
      `From: <sip:${o.user}@127.0.0.1>;tag=${callId.slice(0, 8)}`, `To: <sip:${o.user}@127.0.0.1>`, `Call-ID: ${callId}`, `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${o.user}@${o.from}:${port}>`, `Expires: ${expires}`, 'Max-Forwards: 70', ...(auth ? [`Authorization: ${auth}`] : []), 'Content-Length: 0', '', ''].join('\r\n');
    socket.send(msg, o.pbxPort, '127.0.0.1');
  });
  const status = (m: string) => Number(/^SIP\/2\.0 (\d{3})/.exec(m)?.[1] ?? 0);
  /** One registration attempt with `password`; the final status. */
  const attempt = async (password: string, expires = 60): Promise<number> => {
    const callId = `chaos-reg-${randomBytes(8).toString('hex')}`;
    const challenge = await send(callId, 1, expires);
    if (status(challenge) !== 401) return status(challenge);
    const param = (k: string) => new RegExp(`${k}="([^"]*)"`, 'i').exec(challenge)?.[1] ?? '';
    const [realm, nonce, opaque] = [param('realm'), param('nonce'), param('opaque')];
    const cnonce = randomBytes(8).toString('hex');
    const response = md5(`${md5(`${o.user}:${realm}:${password}`)}:${nonce}:00000001:${cnonce}:auth:${md5(`REGISTER:${uri}`)}`);
    const auth = `Digest username="${o.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"${opaque ? `, opaque="${opaque}"` : ''}`;
    return status(await send(callId, 2, expires, auth));
  };
  return { attempt, close: () => socket.close() };
}

/**
 * Up to `wrong` bad attempts, stopping early once the PBX stops answering (the address is
 * blocked: each further attempt would only wait out its timeout), then the right password.
 */
export async function badRegistrations(o: { from: string; pbxPort: number; user: string; wrong: number; rightPassword: string; paceMs?: number }): Promise<BadRegistrationResult> {
  const ua = await registrar(o);
  try {
    const finalAnswers: Record<string, number> = {};
    let sent = 0;
    while (sent < o.wrong) {
      const st = await ua.attempt(`wrong-${sent}`);
      sent++;
      finalAnswers[String(st)] = (finalAnswers[String(st)] ?? 0) + 1;
      if (st === 0) break;
      if (o.paceMs) await new Promise((r) => setTimeout(r, o.paceMs));
    }
    const rightAnswer = await ua.attempt(o.rightPassword);
    if (rightAnswer === 200) await ua.attempt(o.rightPassword, 0); // take the registration back
    return { wrongSent: sent, finalAnswers, accepted: finalAnswers['200'] ?? 0, rightAnswer, blocked: rightAnswer !== 200 };
  } finally {
    ua.close();
  }
}
