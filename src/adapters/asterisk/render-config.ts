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
}

function endpointBlock(name: string, password: string, callerName: string, web: boolean): string {
  const media = web
    // No opus: this Asterisk has no opus translator (codec_opus is not in the open-source build), and
    // a browser leg in opus cannot be bridged with a caller in G.711.
    ? ['webrtc = yes', 'dtls_auto_generate_cert = yes', 'allow = ulaw,alaw', 'transport = transport-ws']
    : ['allow = ulaw,alaw', 'direct_media = no', 'rtp_symmetric = yes', 'force_rport = yes', 'rewrite_contact = yes'];
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
export function renderEndpoints(roster: Roster, passwords: Record<string, string>): string {
  const people = [...roster.counsellors, ...roster.staff].filter((p) => p.sipUser);
  return people
    .map((p) => {
      const user = p.sipUser as string;
      const password = passwords[user];
      if (!password) throw new Error(`secrets: no SIP password for ${user} (${p.id})`);
      const ids = sipIdentities(user);
      return endpointBlock(ids.phone, password, p.name, false) + '\n' + endpointBlock(ids.web, password, p.name, true);
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
    HTTP_TLS: '',
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
    COUNSELLOR_ENDPOINTS: renderEndpoints(p.roster, p.sipPasswords),
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
