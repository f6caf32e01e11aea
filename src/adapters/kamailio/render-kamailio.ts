import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sipIdentities, type Roster } from '../../config/roster.ts';
import { fillTemplate } from '../asterisk/render-config.ts';

/** Debian's module directory for Kamailio 5.6. */
export const KAMAILIO_MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';

/** One Asterisk node behind the edge: its id (also its Asterisk systemname) and SIP address. */
export interface ClusterNode {
  id: string;
  address: string;
  sipPort: number;
}

/**
 * TLS at the edge: SIP over TLS for desk phones and WSS for browser consoles on HTTPS pages, both
 * with one certificate (chain, then key), on the edge's address and on `extraBind` if given (an
 * address counsellors' computers reach, e.g. the machine's LAN address).
 */
export interface KamailioTls {
  certFile: string;
  keyFile: string;
  sipTlsPort: number;
  wssPort: number;
  extraBind?: string;
}

export interface KamailioParams {
  runDir: string;
  modulesDir?: string;
  listenAddress: string;
  sipPort: number;
  /** HTTP on the edge: JSON-RPC for presence, WebSocket for browser consoles. */
  httpPort: number;
  /** Only this address may call the hotline numbers (the carrier's trunk). */
  carrierAddress: string;
  hotlineNumbers: string[];
  nodes: ClusterNode[];
  roster: Roster;
  /** Password of each SIP user (by sipUser), from the same secrets file as Asterisk's. */
  sipPasswords: Record<string, string>;
  /** Seconds between OPTIONS probes of each node. */
  pingIntervalSec?: number;
  /** Without it the edge speaks plain SIP and ws:// only. */
  tls?: KamailioTls;
}

/** Kamailio's double-quoted strings: a password that could break out of one is refused, not escaped. */
function quoted(value: string, what: string): string {
  if (!/^[A-Za-z0-9_\-.~+/=!@%^*]+$/.test(value)) throw new Error(`kamailio: ${what} has characters the config cannot carry`);
  return `"${value}"`;
}

/** The roster's SIP accounts (phone and browser, one password) as htable entries set at start. */
export function renderPasswords(roster: Roster, passwords: Record<string, string>): string {
  const lines: string[] = [];
  for (const p of [...roster.counsellors, ...roster.staff]) {
    if (!p.sipUser) continue;
    const password = passwords[p.sipUser];
    if (!password) throw new Error(`secrets: no SIP password for ${p.sipUser} (${p.id})`);
    const ids = sipIdentities(p.sipUser);
    for (const account of [ids.phone, ids.web]) lines.push(`\t$sht(pw=>${account}) = ${quoted(password, `password of ${account}`)};`);
  }
  return lines.join('\n');
}

/** The dispatcher list: set 1 holds every Asterisk node. */
export function renderDispatcherList(nodes: ClusterNode[]): string {
  if (nodes.length === 0) throw new Error('kamailio: no Asterisk nodes to dispatch to');
  return ['# setid destination flags priority attributes', ...nodes.map((n) => `1 sip:${n.address}:${n.sipPort} 0 0 node=${n.id}`), ''].join('\n');
}

/** A file path inside the config's double quotes (the tls module reads it itself). */
function path(value: string, what: string): string {
  if (!value.startsWith('/') || /["\s]/.test(value)) throw new Error(`kamailio: ${what} must be an absolute path without quotes or spaces`);
  return value;
}

/** The listen lines for TLS: SIP over TLS and WSS on the edge's address and the extra one. */
export function renderTlsListen(listenAddress: string, tls: KamailioTls): string {
  const addresses = [listenAddress, ...(tls.extraBind && tls.extraBind !== listenAddress ? [tls.extraBind] : [])];
  for (const a of addresses) if (!/^[0-9A-Za-z.:[\]-]+$/.test(a)) throw new Error(`kamailio: ${a} is not an address`);
  return addresses.flatMap((a) => [`listen=tls:${a}:${tls.sipTlsPort}`, `listen=tls:${a}:${tls.wssPort}`]).join('\n');
}

/**
 * tls.cfg: one server profile for every TLS socket (SIP and WSS), TLS 1.2 or newer; phones and
 * browsers are not asked for certificates (they authenticate with digest like on UDP). The edge
 * opens no TLS connections of its own (the nodes are plain SIP on loopback).
 */
export function renderTlsProfiles(tls: KamailioTls): string {
  return [
    '[server:default]',
    'method = TLSv1.2+',
    'verify_certificate = no',
    'require_certificate = no',
    `certificate = ${path(tls.certFile, 'the TLS certificate')}`,
    `private_key = ${path(tls.keyFile, 'the TLS key')}`,
    '',
    '[client:default]',
    'method = TLSv1.2+',
    'verify_certificate = yes',
    'require_certificate = yes',
    '',
  ].join('\n');
}

/** Renders kamailio.cfg and dispatcher.list (and tls.cfg with TLS) for the edge. */
export function renderKamailioConfig(projectDir: string, p: KamailioParams): Record<string, string> {
  for (const n of p.hotlineNumbers) if (!/^\d+$/.test(n)) throw new Error(`kamailio: hotline number ${n} is not digits`);
  const vars: Record<string, string> = {
    MPATH: p.modulesDir ?? KAMAILIO_MODULES,
    RUN_DIR: p.runDir,
    LISTEN_ADDRESS: p.listenAddress,
    SIP_PORT: String(p.sipPort),
    HTTP_PORT: String(p.httpPort),
    CARRIER_ADDRESS: p.carrierAddress,
    HOTLINE_NUMBERS: p.hotlineNumbers.join('|'),
    PING_INTERVAL: String(p.pingIntervalSec ?? 1),
    PASSWORDS: renderPasswords(p.roster, p.sipPasswords),
    // Kamailio's preprocessor switches the TLS parts of the template on.
    TLS_DEFINE: p.tls ? '#!define WITH_TLS' : '# no certificate: plain SIP and ws:// only',
    TLS_LISTEN: p.tls ? renderTlsListen(p.listenAddress, p.tls) : '',
    WSS_PORT: String(p.tls?.wssPort ?? 0),
  };
  return {
    'kamailio.cfg': fillTemplate(readFileSync(join(projectDir, 'kamailio/kamailio.cfg.tmpl'), 'utf8'), vars, 'kamailio.cfg.tmpl'),
    'dispatcher.list': renderDispatcherList(p.nodes),
    ...(p.tls ? { 'tls.cfg': renderTlsProfiles(p.tls) } : {}),
  };
}
