import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Roster } from '../../config/roster.ts';
import type { Principal } from '../../ports/auth.ts';

/** Derives a key from a password (scrypt in the service; counted in tests). */
export type PasswordKdf = (password: string, salt: string, length: number) => Buffer;

export const scryptKdf: PasswordKdf = (password, salt, length) => scryptSync(password, salt, length);

const KEY_LENGTH = 64;

/**
 * Checks sign-ins against the roster and the secrets file. A stored password is either
 * "scrypt:<salt>:<hex hash>" (what operators should use) or plain text (generated demo secrets).
 *
 * Every check costs one key derivation, whatever the outcome: an unknown user name is checked
 * against a dummy hash and a plain-text password pays for one too, so the answer's timing does
 * not tell which user names exist.
 */
/** A centre's staff account (config/centres.yaml `staff`): signs in with role `centre`. */
export interface CentreStaffAccount {
  userId: string;
  centreId: string;
  centreName: string;
  level: Principal['level'];
}

export class UserDirectory {
  private readonly dummy: string;
  private centreStaff = new Map<string, CentreStaffAccount>();

  constructor(private roster: Roster, private passwords: Record<string, string>, private readonly kdf: PasswordKdf = scryptKdf) {
    const salt = randomBytes(16).toString('hex');
    this.dummy = `scrypt:${salt}:${kdf(randomBytes(16).toString('hex'), salt, KEY_LENGTH).toString('hex')}`;
  }

  replaceRoster(roster: Roster): void {
    this.roster = roster;
  }

  /** The centre staff who may sign in (the roster's people win on a shared id). */
  setCentreStaff(accounts: readonly CentreStaffAccount[]): void {
    this.centreStaff = new Map(accounts.map((a) => [a.userId, a]));
  }

  principalOf(userId: string): Principal | null {
    const c = this.roster.counsellors.find((p) => p.id === userId);
    if (c) return { userId: c.id, name: c.name, role: 'counsellor', team: c.team, level: c.level };
    const s = this.roster.staff.find((p) => p.id === userId);
    if (s) return { userId: s.id, name: s.name, role: s.role, team: s.team, level: s.level };
    const k = this.centreStaff.get(userId);
    if (k) return { userId: k.userId, name: k.centreName, role: 'centre', team: k.centreId, level: k.level, centreId: k.centreId };
    return null;
  }

  verify(userId: string, password: string): Principal | null {
    const stored = Object.hasOwn(this.passwords, userId) ? this.passwords[userId] : undefined;
    const principal = this.principalOf(userId);
    if (!stored || !principal) {
      passwordMatches(this.dummy, password, this.kdf);
      return null;
    }
    if (!stored.startsWith('scrypt:')) passwordMatches(this.dummy, password, this.kdf);
    return passwordMatches(stored, password, this.kdf) ? principal : null;
  }
}

export function passwordMatches(stored: string, given: string, kdf: PasswordKdf = scryptKdf): boolean {
  if (stored.startsWith('scrypt:')) {
    const [, salt = '', hash = ''] = stored.split(':');
    const expected = Buffer.from(hash, 'hex');
    if (expected.length === 0) return false;
    return timingSafeEqual(expected, kdf(given, salt, expected.length));
  }
  const a = Buffer.from(stored);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
