import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Role } from '../../../src/ports/auth.ts';
import type { FuzzTarget } from './bad-requests.ts';

/** The running service (the e2e and chaos runs) as a fuzz target: users of the demo roster. */

const ROLE_USERS: Record<Role, string> = { counsellor: 'c1001', supervisor: 's2001', admin: 'admin', centre: 'gz-tianhe-01' };
/** Ids that exist in the demo roster, so that some generated paths get past the lookups. */
export const FUZZED_IDS = ['c1001', 'c1002', 's2001', 'admin'];

/** A copy of the demo roster for the service to run on, since an admin's valid PATCH writes it back. */
export function rosterCopy(): { env: { HOTLINE_ROSTER: string }; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-fuzz-'));
  const roster = join(dir, 'roster.yaml');
  copyFileSync(resolve(import.meta.dirname, '../../../config/roster.demo.yaml'), roster);
  return { env: { HOTLINE_ROSTER: roster }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Signs each role in with `login` (a user id → a session token); renew signs one in again. */
export async function signedInTarget(login: (user: string) => Promise<string>): Promise<FuzzTarget> {
  const tokens = {} as Record<Role, string>;
  const renew = async (role: Role) => void (tokens[role] = await login(ROLE_USERS[role]));
  for (const role of Object.keys(ROLE_USERS) as Role[]) await renew(role);
  return { tokens, renew, knownIds: FUZZED_IDS };
}
