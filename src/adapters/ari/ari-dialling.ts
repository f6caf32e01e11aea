/**
 * Our words for dialling and playing, turned into Asterisk's: PJSIP dial strings, caller ID
 * strings, PJSIP_HEADER channel variables and media URIs. The e2e tests check what comes out
 * (INVITE headers, From display name, Identity for 110), so the spelling here is the contract.
 */
import type { CallerIdentity, DialOutRequest, OfferedCall, RingPhoneRequest, Sound } from '../../ports/telephony.ts';

/** What ARI's originate takes. */
export interface AriOriginate {
  channelId: string;
  endpoint: string;
  appArgs: string[];
  callerId: string;
  timeoutSec: number;
  variables: Record<string, string>;
}

const header = (name: string): string => `PJSIP_HEADER(add,X-Hotline-${name})`;

export const callerIdString = (c: CallerIdentity): string => `"${c.name}" <${c.number}>`;

/** The offer's X-Hotline-* headers, in the order the phones have always received them. */
export function offerHeaders(call: OfferedCall): Record<string, string> {
  const v: Record<string, string> = { [header('Call-Id')]: call.callId };
  if (call.callbackOf !== undefined) v[header('Callback')] = call.callbackOf;
  v[header('Line')] = call.line;
  v[header('Need')] = call.need;
  v[header('Language')] = call.language;
  if (call.waitSec !== undefined) v[header('Wait')] = String(call.waitSec);
  if (call.highRisk !== undefined) v[header('High-Risk')] = call.highRisk ? 'yes' : 'no';
  if (call.followUpId !== undefined) v[header('Follow-Up')] = call.followUpId;
  return v;
}

/**
 * The dial string of a roster SIP account: the account's own endpoint on a single Asterisk; in a
 * cluster, through the SIP edge's endpoint (`via`), which finds the phone's registration.
 */
export function phoneDialString(account: string, via?: string): string {
  if (!via) return `PJSIP/${account}`;
  return account.startsWith('web') ? `PJSIP/${account}@${via}-web` : `PJSIP/${account}@${via}`;
}

export function ringPhoneOriginate(r: RingPhoneRequest, via?: string): AriOriginate {
  return {
    channelId: r.channelId, endpoint: phoneDialString(r.phone, via), appArgs: r.appArgs, callerId: callerIdString(r.callerId),
    timeoutSec: r.timeoutSec, variables: r.call ? offerHeaders(r.call) : {},
  };
}

export function dialOutOriginate(r: DialOutRequest): AriOriginate {
  return {
    channelId: r.channelId, endpoint: r.route, appArgs: r.appArgs, callerId: callerIdString(r.callerId),
    timeoutSec: r.timeoutSec, variables: r.escalationId === undefined ? {} : { [header('Escalation')]: r.escalationId },
  };
}

/** Prompts are rendered under sounds/hotline/<language>/<id>; the ringback follows China's tone zone. */
export function mediaUri(sound: Sound): string {
  return 'tone' in sound ? 'tone:ring;tonezone=cn' : `sound:hotline/${sound.language}/${sound.prompt}`;
}
