import { parseTrace } from '../../../bench/bench-sipp.ts';

/**
 * Hand-offs read from the counsellor bank's SIPp trace (SIPp's clock, µs), per identity:
 *  - sign-in → first offer: the 200 OK to the identity's REGISTER → the first INVITE it receives;
 *  - free again → next offer: the BYE the phone sends (it hangs up) → the next INVITE it receives,
 *    as bench/handoff-bench.ts measures the hand-off.
 * The identity of an INVITE is the user of its Request-URI (Asterisk dials the registered
 * contact, sip:<user>@...); of a REGISTER its SIPp call number (line n of the SEQUENTIAL users file).
 */
export function bankHandoffs(trace: string, userOfRegistration: (callNumber: number) => string): { firstOfferMs: number[]; nextOfferMs: number[]; offers: number } {
  const messages = parseTrace(trace);
  const userOfCall = new Map<string, string>();
  const invites = new Map<string, number[]>();
  const byes = new Map<string, number[]>();
  const signedIn = new Map<string, number>();
  for (const m of messages) {
    if (m.direction === 'received' && m.firstLine.startsWith('INVITE ') && !m.toTag && !userOfCall.has(m.callId)) {
      const user = /^INVITE sip:([^@;>]+)@/.exec(m.firstLine)?.[1] ?? '?';
      userOfCall.set(m.callId, user);
      (invites.get(user) ?? invites.set(user, []).get(user)!).push(m.at);
    }
    if (m.direction === 'sent' && m.firstLine.startsWith('BYE ')) {
      const user = userOfCall.get(m.callId);
      if (user) (byes.get(user) ?? byes.set(user, []).get(user)!).push(m.at);
    }
    if (m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200') && m.cseq.endsWith('REGISTER')) {
      const user = userOfRegistration(Number(m.callId.split('-')[0]));
      if (!signedIn.has(user)) signedIn.set(user, m.at);
    }
  }
  const r = (x: number) => Math.round(x * 10) / 10;
  const firstOfferMs: number[] = [];
  const nextOfferMs: number[] = [];
  for (const [user, at] of invites) {
    const reg = signedIn.get(user);
    if (reg !== undefined && at[0] !== undefined && at[0] > reg) firstOfferMs.push(r(at[0] - reg));
    for (const bye of byes.get(user) ?? []) {
      const next = at.find((t) => t > bye);
      if (next !== undefined) nextOfferMs.push(r(next - bye));
    }
  }
  return { firstOfferMs, nextOfferMs, offers: userOfCall.size };
}
