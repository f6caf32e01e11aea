import { beforeEach, expect, it } from 'vitest';
import type { Principal, Sessions } from '../../src/ports/auth.ts';

const supervisor: Principal = { userId: 's1', name: '王督导', role: 'supervisor', team: 'gz', level: 'province' };
const counsellor: Principal = { userId: 'c1', name: '陈老师', role: 'counsellor', team: 'sz', level: 'county' };

/** The Sessions contract: unguessable tokens that resolve to their principal until destroyed. */
export function sessionsContract(make: () => Promise<Sessions>): void {
  let s: Sessions;
  beforeEach(async () => {
    s = await make();
  });

  it('creates a distinct, URL-safe token per sign-in that resolves to its principal', async () => {
    const t1 = await s.create(supervisor);
    const t2 = await s.create(counsellor);
    expect(t1).toMatch(/^[A-Za-z0-9_-]{32,100}$/);
    expect(t2).not.toBe(t1);
    expect(await s.get(t1)).toEqual(supervisor);
    expect(await s.get(t2)).toEqual(counsellor);
  });

  it('forgets a destroyed session and only that one', async () => {
    const t1 = await s.create(supervisor);
    const t2 = await s.create(supervisor);
    await s.destroy(t1);
    await s.destroy('never-issued-token-aaaaaaaaaaaa');
    expect(await s.get(t1)).toBeNull();
    expect(await s.get(t2)).toEqual(supervisor);
  });

  it('answers null for unknown and malformed tokens', async () => {
    await s.create(supervisor);
    for (const bad of ['', 'short', 'x'.repeat(200), 'has spaces in it, not a token', '../../etc/passwd', 'A'.repeat(43)]) {
      expect(await s.get(bad)).toBeNull();
    }
  });

  it('writes back a lost session under its old token, and never over a session the store has', async () => {
    const token = await s.create(supervisor);
    await s.destroy(token);
    await s.restoreSession(token, supervisor);
    expect(await s.get(token)).toEqual(supervisor);
    await s.restoreSession(token, counsellor);
    expect(await s.get(token), 'the session already there wins').toEqual(supervisor);
  });
}
