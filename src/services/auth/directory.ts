import { scryptSync, timingSafeEqual } from 'node:crypto';
import type { Roster } from '../../config/roster.ts';
import type { Principal } from '../../ports/auth.ts';

/**
 * Checks sign-ins against the roster and the secrets file. A stored password is either
 * "scrypt:<salt>:<hex hash>" (what operators should use) or plain text (generated demo secrets).
 */
export class UserDirectory {
  constructor(private roster: Roster, private passwords: Record<string, string>) {}

  replaceRoster(roster: Roster): void {
    this.roster = roster;
  }

  principalOf(userId: string): Principal | null {
    const c = this.roster.counsellors.find((p) => p.id === userId);
    if (c) return { userId: c.id, name: c.name, role: 'counsellor', team: c.team, level: c.level };
    const s = this.roster.staff.find((p) => p.id === userId);
    if (s) return { userId: s.id, name: s.name, role: s.role, team: s.team, level: s.level };
    return null;
  }

  verify(userId: string, password: string): Principal | null {
    const stored = this.passwords[userId];
    const principal = this.principalOf(userId);
    if (!stored || !principal) return null;
    return passwordMatches(stored, password) ? principal : null;
  }
}

export function passwordMatches(stored: string, given: string): boolean {
  if (stored.startsWith('scrypt:')) {
    const [, salt = '', hash = ''] = stored.split(':');
    const expected = Buffer.from(hash, 'hex');
    if (expected.length === 0) return false;
    return timingSafeEqual(expected, scryptSync(given, salt, expected.length));
  }
  const a = Buffer.from(stored);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
