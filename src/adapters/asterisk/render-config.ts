import type { SipGuardSettings } from './sip-guard-config.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sipIdentities, type Roster } from '../../config/roster.ts';
import { phoneDialString } from '../ari/ari-dialling.ts';

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
  /**
   * Cluster profile: this node's name (Asterisk's systemname, so every channel id it makes starts
   * with `<name>-` and tells which node a call is on), and the SIP edge (Kamailio) that carrier
   * calls come from and that counsellors' phones are rung through.
   */
  cluster?: { systemName: string; edge: { address: string; sipPort: number } };
  /** The address phones outside reach (behind NAT or in a container): put in SIP and SDP for them. */
  publicAddress?: string;
  /** AMI's address (loopback by default; a cluster node's own address). */
  amiBind?: string;
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

/**
 * Cluster node: the SIP edge as two endpoints. `edge` carries carrier calls in (identified by the
 * edge's address) and rings SIP phones out (`PJSIP/1001@edge`); `edge-web` rings browser consoles
 * registered to the edge over WebSocket, with WebRTC media (DTLS-SRTP, ICE).
 */
export function renderEdgeEndpoints(edge: { address: string; sipPort: number }): string {
  const common = ['disallow = all', 'allow = ulaw,alaw', 'direct_media = no', 'rtp_symmetric = yes', 'dtmf_mode = rfc4733', 'send_rpid = yes', 'send_connected_line = no'];
  return [
    '; The SIP edge (Kamailio): carrier calls arrive from it, counsellor phones are rung through it.',
    '[edge]', 'type = endpoint', 'context = from-carrier', ...common, 'aors = edge', 'rtp_timeout = 120', '',
    '[edge]', 'type = aor', `contact = sip:${edge.address}:${edge.sipPort}`, 'qualify_frequency = 0', '',
    '[edge]', 'type = identify', 'endpoint = edge', `match = ${edge.address}`, '',
    '[edge-web]', 'type = endpoint', 'context = from-counsellor', 'disallow = all', 'allow = ulaw,alaw', 'webrtc = yes', 'dtls_auto_generate_cert = yes',
    'dtmf_mode = rfc4733', 'send_rpid = yes', 'send_connected_line = no', 'aors = edge-web', '',
    '[edge-web]', 'type = aor', `contact = sip:${edge.address}:${edge.sipPort}`, '',
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
      const via = p.cluster ? 'edge' : undefined;
      return [ids.phone, ids.web].map((n) => `member => ${phoneDialString(n, via)},0,${c.name},${phoneDialString(n, via)}`);
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
    SYSTEM_NAME: p.cluster ? `systemname = ${p.cluster.systemName}` : '',
    AMI_BIND: p.amiBind ?? '127.0.0.1',
    EXTERNAL_ADDRESS: p.publicAddress
      ? [`external_media_address = ${p.publicAddress}`, `external_signaling_address = ${p.publicAddress}`,
        ...['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((n) => `local_net = ${n}`)].join('\n')
      : '',
    EDGE_ENDPOINTS: p.cluster ? renderEdgeEndpoints(p.cluster.edge) : '',
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
