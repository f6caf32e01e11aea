import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Roster } from '../../config/roster.ts';

/** Passwords for one installation. Generated for demo and test profiles; operators supply their own. */
export interface Secrets {
  ariPassword: string;
  sip: Record<string, string>;
  web: Record<string, string>;
  /** HMAC secret linking repeat callers by a keyed hash of their number (HOTLINE_CALLER_KEY_SECRET overrides it). */
  callerKeySecret?: string;
}

const newPassword = () => randomBytes(12).toString('base64url');

export function readSecrets(path: string): Secrets {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Secrets>;
  return { ariPassword: raw.ariPassword ?? '', sip: raw.sip ?? {}, web: raw.web ?? {}, ...(raw.callerKeySecret ? { callerKeySecret: raw.callerKeySecret } : {}) };
}

/**
 * Fills in whatever is missing for the roster (and the centre staff who sign in, `webUsers`) and
 * keeps what exists, so restarts keep passwords and the caller-key secret (changing it would
 * unlink every repeat caller).
 */
export function ensureSecrets(path: string, roster: Roster, webUsers: readonly string[] = []): Secrets {
  const s: Secrets = existsSync(path) ? readSecrets(path) : { ariPassword: '', sip: {}, web: {} };
  if (!s.ariPassword) s.ariPassword = newPassword();
  for (const p of [...roster.counsellors, ...roster.staff]) {
    if (p.sipUser && !s.sip[p.sipUser]) s.sip[p.sipUser] = newPassword();
    if (!s.web[p.id]) s.web[p.id] = newPassword();
  }
  for (const id of webUsers) if (!s.web[id]) s.web[id] = newPassword();
  if (!s.callerKeySecret) s.callerKeySecret = randomBytes(32).toString('hex');
  const text = JSON.stringify(s, null, 2);
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return s;
  // Whole or absent: another process reading the file (a test run in another slot) never sees it half written.
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.${process.pid}`, text, { mode: 0o600 });
  renameSync(`${path}.${process.pid}`, path);
  return s;
}
