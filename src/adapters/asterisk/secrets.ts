import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Roster } from '../../config/roster.ts';

/** Passwords for one installation. Generated for demo and test profiles; operators supply their own. */
export interface Secrets {
  ariPassword: string;
  sip: Record<string, string>;
  web: Record<string, string>;
}

const newPassword = () => randomBytes(12).toString('base64url');

export function readSecrets(path: string): Secrets {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Secrets>;
  return { ariPassword: raw.ariPassword ?? '', sip: raw.sip ?? {}, web: raw.web ?? {} };
}

/** Fills in whatever is missing for the roster and keeps what exists, so restarts keep passwords. */
export function ensureSecrets(path: string, roster: Roster): Secrets {
  const s: Secrets = existsSync(path) ? readSecrets(path) : { ariPassword: '', sip: {}, web: {} };
  if (!s.ariPassword) s.ariPassword = newPassword();
  for (const p of [...roster.counsellors, ...roster.staff]) {
    if (p.sipUser && !s.sip[p.sipUser]) s.sip[p.sipUser] = newPassword();
    if (!s.web[p.id]) s.web[p.id] = newPassword();
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(s, null, 2), { mode: 0o600 });
  return s;
}
