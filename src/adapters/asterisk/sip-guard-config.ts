/**
 * The SIP guard: fail2ban watching Asterisk's security log and banning, with nftables, an address
 * that keeps failing to authenticate (wrong passwords, unknown accounts), on the PBX's SIP ports
 * only. Asterisk 22 logs such attempts but blocks nobody itself; fail2ban ships the filter for
 * exactly these log lines (filter.d/asterisk.conf), so the project renders a jail, not a parser.
 *
 * This file is pure: it turns the PBX parameters into fail2ban's configuration files.
 */

export interface SipGuardSettings {
  /** Failed authentications from one address within `windowSeconds` that get it banned. */
  maxFailures: number;
  windowSeconds: number;
  banSeconds: number;
  /**
   * Addresses never banned, whatever they send: the carrier (banning it would cut off every
   * caller) and the emergency trunk are added from the PBX parameters; operators add office
   * networks whose counsellors share one address.
   */
  neverBlock: string[];
  /** Unique per PBX on a machine (profile and slot): names the nftables table and the jail's files. */
  name: string;
}

export interface SipGuardTarget {
  runDir: string;
  sipPort: number;
  carrierAddress: string;
  emergencyUri: string;
  emergencyFallbackUri: string;
  carrierOutUri: string;
  tls?: { sipTlsPort: number };
  sipGuard: SipGuardSettings;
}

/** The host of a SIP URI (`sip:110@127.0.0.1:5070` → `127.0.0.1`), or null. */
export function sipUriHost(uri: string): string | null {
  const m = /^sips?:(?:[^@]*@)?(\[[^\]]+\]|[^:;>]+)/.exec(uri.trim());
  return m ? (m[1] as string).replace(/^\[|\]$/g, '') : null;
}

/** Every address the guard must never ban, deduplicated: the machine, the carrier, the trunks, the operator's list. */
export function neverBlocked(t: SipGuardTarget): string[] {
  const trunks = [t.emergencyUri, t.emergencyFallbackUri, t.carrierOutUri].map(sipUriHost).filter((h): h is string => h !== null);
  return [...new Set(['127.0.0.1', '::1', t.carrierAddress, ...trunks, ...t.sipGuard.neverBlock])];
}

/** The SIP ports the ban covers (UDP and TCP share the plain port; TLS is TCP). */
export function guardedPorts(t: SipGuardTarget): { udp: number[]; tcp: number[] } {
  const tcp = t.tls ? [t.sipPort, t.tls.sipTlsPort] : [t.sipPort];
  return { udp: [t.sipPort], tcp };
}

/** nftables table names allow letters, digits, '-' and '_'. */
export function guardTable(t: SipGuardTarget): string {
  return `hotline-${t.sipGuard.name}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

export interface SipGuardFiles {
  /** Directory given to fail2ban with -c; filter.d and action.d are linked to the system's. */
  confDir: string;
  socket: string;
  pidFile: string;
  logFile: string;
  files: Record<string, string>;
}

/** fail2ban's configuration for one PBX: its own socket, pid file, log and one jail. */
export function renderSipGuard(t: SipGuardTarget): SipGuardFiles {
  const confDir = `${t.runDir}/fail2ban`;
  const socket = `${t.runDir}/run/fail2ban.sock`;
  const pidFile = `${t.runDir}/run/fail2ban.pid`;
  const logFile = `${t.runDir}/log/fail2ban.log`;
  const table = guardTable(t);
  const ports = guardedPorts(t);
  const g = t.sipGuard;
  const action = (proto: 'udp' | 'tcp', list: number[]) =>
    `nftables-multiport[name=hotline-sip-${proto}, port="${list.join(',')}", protocol=${proto}, table=${table}]`;
  const fail2banConf = [
    '[Definition]',
    'loglevel = INFO',
    `logtarget = ${logFile}`,
    `socket = ${socket}`,
    `pidfile = ${pidFile}`,
    'dbfile = :memory:',
    '',
  ].join('\n');
  const jailConf = [
    '[DEFAULT]',
    'backend = polling',
    // Only the addresses listed below are spared; fail2ban's own guess of "self" is not used.
    'ignoreself = false',
    '',
    '[hotline-sip]',
    'enabled = true',
    'filter = asterisk',
    `logpath = ${t.runDir}/log/security.log`,
    `maxretry = ${g.maxFailures}`,
    `findtime = ${g.windowSeconds}`,
    `bantime = ${g.banSeconds}`,
    `ignoreip = ${neverBlocked(t).join(' ')}`,
    `action = ${action('udp', ports.udp)}`,
    `         ${action('tcp', ports.tcp)}`,
    '',
  ].join('\n');
  return { confDir, socket, pidFile, logFile, files: { 'fail2ban.conf': fail2banConf, 'jail.conf': jailConf } };
}
