import type { SipGuardSettings } from './sip-guard-config.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sipIdentities, type Roster } from '../../config/roster.ts';

/** Replaces {{NAME}} placeholders; a placeholder without a value is an error, never an empty string. */
export function fillTemplate(text: string, vars: Record<string, string>, source: string): string {
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`${source}: no value for {{${name}}}`);
    return value;
  });
}

export interface PbxParams {
  runDir: string;
  asteriskPrefix: string;
  soundsDir: string;
  ariApp: string;
  ariUser: string;
  ariPassword: string;
  httpBind: string;
  httpPort: number;
  sipBind: string;
  sipPort: number;
  carrierAddress: string;
  emergencyUri: string;
  emergencyFallbackUri: string;
  carrierOutUri: string;
  rtpStart: number;
  rtpEnd: number;
  amiPort: number;
  /** Password of each SIP user (by sipUser). */
  sipPasswords: Record<string, string>;
  roster: Roster;
  /** Extra app_queue used only by the hand-off benchmark's baseline. */
  benchQueue?: string;
  /** TLS: WSS on Asterisk's HTTP server, SIP over TLS and SRTP (SDES) for desk phones. */
  tls?: PbxTls;
  /** fail2ban banning addresses that keep failing to authenticate (sip-guard-config.ts); absent = off. */
  sipGuard?: SipGuardSettings;
}

export interface PbxTls {
  /** PEM certificate chain and key, readable by Asterisk. */
  certFile: string;
  keyFile: string;
  /** Asterisk's HTTP server over TLS (wss://…/ws for browsers on HTTPS pages). */
  httpsPort: number;
  sipTlsPort: number;
  /**
   * SRTP for desk phones: "optional" offers it to every phone and uses it where accepted (phones
   * on plain UDP keep working); "required" refuses calls without it (phones must then use TLS).
   */
  srtp: 'optional' | 'required';
}

/** Asterisk's HTTP server over TLS, listening where SIP does (browser softphones are SIP clients). */
function httpTls(p: PbxParams): string {
  if (!p.tls) return '';
  return [
    '; TLS: browsers on HTTPS pages may only open wss:// (mixed content), so softphones connect here.',
    'tlsenable = yes', `tlsbindaddr = ${p.sipBind}:${p.tls.httpsPort}`, `tlscertfile = ${p.tls.certFile}`, `tlsprivatekey = ${p.tls.keyFile}`, '',
  ].join('\n');
}

function sipTlsTransport(p: PbxParams): string {
  if (!p.tls) return '';
  return [
    '; SIP over TLS for desk phones (their media is SRTP, keyed by SDES inside this encrypted signalling).',
    '[transport-tls]', 'type = transport', 'protocol = tls', `bind = ${p.sipBind}:${p.tls.sipTlsPort}`,
    `cert_file = ${p.tls.certFile}`, `priv_key_file = ${p.tls.keyFile}`, 'verify_client = no',
    // PJSIP's default method is TLS 1.0 only; 1.2 is what phones and clients speak today.
    'method = tlsv1_2', '',
  ].join('\n');
}

/** SDES-SRTP on desk phones when TLS is on; "optional" puts the keys in a plain RTP/AVP offer. */
function phoneSrtp(srtp: PbxTls['srtp'] | undefined): string[] {
  if (!srtp) return [];
  return ['media_encryption = sdes', `media_encryption_optimistic = ${srtp === 'optional' ? 'yes' : 'no'}`];
}

function endpointBlock(name: string, password: string, callerName: string, web: boolean, srtp?: PbxTls['srtp']): string {
  const media = web
    // No opus: this Asterisk has no opus translator (codec_opus is not in the open-source build), and
    // a browser leg in opus cannot be bridged with a caller in G.711. WebRTC media is always DTLS-SRTP.
    ? ['webrtc = yes', 'dtls_auto_generate_cert = yes', 'allow = ulaw,alaw', 'transport = transport-ws']
    : ['allow = ulaw,alaw', 'direct_media = no', 'rtp_symmetric = yes', 'force_rport = yes', 'rewrite_contact = yes', ...phoneSrtp(srtp)];
  return [
    `[${name}]`, 'type = endpoint', 'context = from-counsellor', 'disallow = all', ...media,
    `auth = ${name}`, `aors = ${name}`, `callerid = "${callerName}" <${name}>`, 'dtmf_mode = rfc4733',
    // No connected-line updates: bridged with a caller, the phone would be sent the caller's full number.
    'send_rpid = yes', 'send_connected_line = no', '',
    `[${name}]`, 'type = auth', 'auth_type = userpass', `username = ${name}`, `password = ${password}`, '',
    `[${name}]`, 'type = aor', 'max_contacts = 1', 'remove_existing = yes', 'qualify_frequency = 15', '',
  ].join('\n');
}

/** The SIP accounts of every counsellor and staff member with a phone. */
export function renderEndpoints(roster: Roster, passwords: Record<string, string>, srtp?: PbxTls['srtp']): string {
  const people = [...roster.counsellors, ...roster.staff].filter((p) => p.sipUser);
  return people
    .map((p) => {
      const user = p.sipUser as string;
      const password = passwords[user];
      if (!password) throw new Error(`secrets: no SIP password for ${user} (${p.id})`);
      const ids = sipIdentities(user);
      return endpointBlock(ids.phone, password, p.name, false, srtp) + '\n' + endpointBlock(ids.web, password, p.name, true);
    })
    .join('\n');
}

/** Renders every template under config/asterisk and dialplans into {file name: content}. */
export function renderAsteriskConfig(projectDir: string, p: PbxParams): Record<string, string> {
  // The dialplan's last resort rings every counsellor phone and browser that is free.
  const members = p.roster.counsellors
    .flatMap((c) => {
      const ids = sipIdentities(c.sipUser);
      return [ids.phone, ids.web].map((n) => `member => PJSIP/${n},0,${c.name},PJSIP/${n}`);
    })
    .join('\n');
  const vars: Record<string, string> = {
    RUN_DIR: p.runDir,
    ASTERISK_PREFIX: p.asteriskPrefix,
    SOUNDS_DIR: p.soundsDir,
    ARI_APP: p.ariApp,
    ARI_USER: p.ariUser,
    ARI_PASSWORD: p.ariPassword,
    ARI_ALLOWED_ORIGINS: `http://127.0.0.1:${p.httpPort}`,
    HTTP_BIND: p.httpBind,
    HTTP_PORT: String(p.httpPort),
    HTTP_TLS: httpTls(p),
    SIP_TLS_TRANSPORT: sipTlsTransport(p),
    SIP_BIND: p.sipBind,
    SIP_PORT: String(p.sipPort),
    CARRIER_ADDRESS: p.carrierAddress,
    EMERGENCY_URI: p.emergencyUri,
    EMERGENCY_FALLBACK_URI: p.emergencyFallbackUri,
    CARRIER_OUT_URI: p.carrierOutUri,
    RTP_START: String(p.rtpStart),
    RTP_END: String(p.rtpEnd),
    AMI_ENABLED: 'yes',
    AMI_PORT: String(p.amiPort),
    COUNSELLOR_ENDPOINTS: renderEndpoints(p.roster, p.sipPasswords, p.tls?.srtp),
    FALLBACK_MEMBERS: members,
    BENCH_QUEUE: p.benchQueue ?? '',
  };
  const out: Record<string, string> = {};
  for (const dir of [join(projectDir, 'config/asterisk'), join(projectDir, 'dialplans')]) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.conf.tmpl'))) {
      const name = file.replace(/\.tmpl$/, '');
      out[name] = fillTemplate(readFileSync(join(dir, file), 'utf8'), vars, file);
    }
  }
  return out;
}
