import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { guardTable, renderSipGuard, type SipGuardTarget } from './sip-guard-config.ts';

/**
 * Runs the SIP guard (sip-guard-config.ts) beside a PBX: one fail2ban server per PBX, with its
 * own socket and nftables table, started after Asterisk and stopped with it (fail2ban removes its
 * table when it stops).
 */

const SYSTEM_FAIL2BAN = '/etc/fail2ban';

export class SipGuardError extends Error {
  readonly code = 'SIP_GUARD_UNAVAILABLE';
}

function client(t: SipGuardTarget, args: string[]): { ok: boolean; out: string } {
  const { confDir, socket, pidFile } = renderSipGuard(t);
  const r = spawnSync('fail2ban-client', ['-c', confDir, '-s', socket, '-p', pidFile, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Why the guard cannot run here, or null when it can (fail2ban and nft installed, root for nftables). */
export function sipGuardUnavailable(): string | null {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'nftables needs root';
  for (const cmd of ['fail2ban-client', 'nft']) {
    if (spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0) return `${cmd} is not installed (scripts/setup.sh installs it)`;
  }
  if (!existsSync(join(SYSTEM_FAIL2BAN, 'filter.d/asterisk.conf'))) return 'fail2ban has no asterisk filter';
  return null;
}

export function isSipGuardRunning(t: SipGuardTarget): boolean {
  return client(t, ['ping']).ok;
}

/** Starts (or reloads) the guard; throws SipGuardError when it cannot run. */
export function startSipGuard(t: SipGuardTarget): void {
  const why = sipGuardUnavailable();
  if (why) throw new SipGuardError(`SIP guard cannot run: ${why}`);
  const r = renderSipGuard(t);
  mkdirSync(r.confDir, { recursive: true });
  mkdirSync(join(t.runDir, 'run'), { recursive: true });
  mkdirSync(join(t.runDir, 'log'), { recursive: true });
  for (const [name, content] of Object.entries(r.files)) writeFileSync(join(r.confDir, name), content);
  for (const d of ['filter.d', 'action.d']) {
    const link = join(r.confDir, d);
    rmSync(link, { force: true, recursive: false });
    symlinkSync(join(SYSTEM_FAIL2BAN, d), link);
  }
  // The jail reads the security log from its start; Asterisk creates it, but the guard may come first.
  const securityLog = join(t.runDir, 'log/security.log');
  if (!existsSync(securityLog)) writeFileSync(securityLog, '');
  const running = isSipGuardRunning(t);
  // A guard killed without its stop leaves its table (and bans) behind: start from none.
  if (!running) spawnSync('nft', ['delete', 'table', 'inet', guardTable(t)], { stdio: 'ignore' });
  const res = running ? client(t, ['reload']) : client(t, ['-x', 'start']);
  if (!res.ok) throw new SipGuardError(`fail2ban did not start: ${res.out.trim()}`);
}

export function stopSipGuard(t: SipGuardTarget): void {
  if (isSipGuardRunning(t)) client(t, ['stop']);
}

/** Addresses banned right now. */
export function sipGuardBanned(t: SipGuardTarget): string[] {
  const r = client(t, ['get', 'hotline-sip', 'banip']);
  if (!r.ok) return [];
  return r.out.split(/[\s,[\]']+/).filter((s) => isIP(s) !== 0);
}

/** Lifts a ban before its time (an operator who knows the address, or a test cleaning up). */
export function sipGuardUnban(t: SipGuardTarget, address: string): void {
  client(t, ['set', 'hotline-sip', 'unbanip', address]);
}
