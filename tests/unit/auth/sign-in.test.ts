import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TooManyAttemptsError } from '../../../src/errors.ts';
import { UserDirectory, type PasswordKdf } from '../../../src/services/auth/directory.ts';
import { SignInService, type SignInPolicy } from '../../../src/services/auth/sign-in.ts';
import { serviceTestRoster } from '../../fakes/hotline-fixture.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { MemoryAuditLog } from '../../fakes/memory-audit-log.ts';
import { MemoryLoginThrottle } from '../../fakes/memory-login-throttle.ts';
import { MemorySessions } from '../../fakes/memory-sessions.ts';

/** A cheap KDF that counts its calls: the directory must derive exactly once per check. */
function countingKdf(): PasswordKdf & { calls: number } {
  const kdf = ((password: string, salt: string, length: number) => {
    kdf.calls += 1;
    return scryptSync(password, salt, length, { N: 16 });
  }) as PasswordKdf & { calls: number };
  kdf.calls = 0;
  return kdf;
}

const SALT = 'a1b2c3';
const hashed = (pw: string) => `scrypt:${SALT}:${scryptSync(pw, SALT, 64, { N: 16 }).toString('hex')}`;

function setup(policy?: SignInPolicy) {
  const kdf = countingKdf();
  const clock = new ManualClock();
  // c1 has an scrypt hash, s1 a plain-text (generated demo) password; c2 has no password at all.
  const directory = new UserDirectory(serviceTestRoster(), { c1: hashed('right-horse-battery'), s1: 'plain-demo-pw' }, kdf);
  kdf.calls = 0;
  const audit = new MemoryAuditLog(clock);
  const throttle = new MemoryLoginThrottle(clock);
  const service = new SignInService({ directory, sessions: new MemorySessions(), throttle, audit, ...(policy ? { policy } : {}) });
  return { kdf, clock, directory, audit, service };
}

const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error('signed in'); }, (e: unknown) => e as { code: string; retryAfterSec?: number });

describe('UserDirectory', () => {
  it('derives a key exactly once per check, whether the user exists, the password is stored hashed or plain, right or wrong', () => {
    const { kdf, directory } = setup();
    const cases: Array<[string, string, boolean]> = [
      ['c1', 'right-horse-battery', true],
      ['c1', 'wrong', false],
      ['s1', 'plain-demo-pw', true],
      ['s1', 'wrong', false],
      ['nobody', 'whatever', false],
      ['c2', 'no-password-stored', false],
      ['constructor', 'x', false],
    ];
    for (const [user, pw, ok] of cases) {
      const before = kdf.calls;
      expect(directory.verify(user, pw) !== null, `${user}/${pw}`).toBe(ok);
      expect(kdf.calls - before, `key derivations for ${user}/${pw}`).toBe(1);
    }
  });
});

describe('SignInService', () => {
  it('signs in, audits it with the address, and hands out a session', async () => {
    const { service, audit } = setup();
    const { token, user } = await service.signIn('c1', 'right-horse-battery', '10.0.0.5');
    expect(token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(user).toMatchObject({ userId: 'c1', role: 'counsellor' });
    expect(await audit.list(10)).toEqual([expect.objectContaining({ actor: 'c1', role: 'counsellor', action: 'sign-in', data: { address: '10.0.0.5' } })]);
  });

  it('audits every failure, for known and unknown user names alike', async () => {
    const { service, audit } = setup();
    expect((await rejection(service.signIn('c1', 'nope', '10.0.0.5'))).code).toBe('unauthenticated');
    expect((await rejection(service.signIn('ghost', 'nope', '10.0.0.6'))).code).toBe('unauthenticated');
    const entries = await audit.list(10);
    expect(entries.map((e) => [e.action, e.actor, e.role, e.data])).toEqual([
      ['sign-in-failed', 'ghost', 'system', { address: '10.0.0.6', knownUser: false }],
      ['sign-in-failed', 'c1', 'counsellor', { address: '10.0.0.5', knownUser: true }],
    ]);
  });

  it('locks a user name out after 5 failures from any addresses, refusing even the right password without checking it', async () => {
    const { service, audit, kdf, clock } = setup();
    for (let i = 1; i <= 4; i++) expect((await rejection(service.signIn('c1', `guess-${i}`, `10.0.0.${i}`))).code).toBe('unauthenticated');
    const fifth = await rejection(service.signIn('c1', 'guess-5', '10.0.0.5'));
    expect(fifth).toBeInstanceOf(TooManyAttemptsError);
    expect(fifth.retryAfterSec).toBe(900);

    const checks = kdf.calls;
    clock.advance(60_000);
    const refused = await rejection(service.signIn('C1', 'right-horse-battery', '10.0.0.9'));
    expect(refused.code).toBe('too-many-attempts');
    expect(refused.retryAfterSec).toBe(840);
    expect(kdf.calls, 'no password check while locked').toBe(checks);
    expect((await audit.list(1))[0]).toMatchObject({ action: 'sign-in-refused', actor: 'C1', data: { address: '10.0.0.9' } });

    // Another user from the same addresses is not affected.
    await expect(service.signIn('s1', 'plain-demo-pw', '10.0.0.1')).resolves.toMatchObject({ user: { userId: 's1' } });
    clock.advance(14 * 60_000);
    await expect(service.signIn('c1', 'right-horse-battery', '10.0.0.9')).resolves.toMatchObject({ user: { userId: 'c1' } });
  });

  it('locks a client address out after 20 failures over many user names, and a good sign-in there does not reset it', async () => {
    const { service } = setup();
    for (let i = 0; i < 18; i++) await rejection(service.signIn(`user${i}`, 'x', '203.0.113.7'));
    await service.signIn('c1', 'right-horse-battery', '203.0.113.7');
    expect((await rejection(service.signIn('user18', 'x', '203.0.113.7'))).code).toBe('unauthenticated');
    expect((await rejection(service.signIn('user19', 'x', '203.0.113.7'))).code).toBe('too-many-attempts');
    expect((await rejection(service.signIn('s1', 'plain-demo-pw', '203.0.113.7'))).code).toBe('too-many-attempts');
    await expect(service.signIn('s1', 'plain-demo-pw', '203.0.113.8')).resolves.toBeDefined();
  });

  it('a successful sign-in clears the user name\'s failures', async () => {
    const { service } = setup({ user: { maxFailures: 3, windowMs: 60_000, lockMs: 60_000 }, address: { maxFailures: 100, windowMs: 60_000, lockMs: 60_000 } });
    await rejection(service.signIn('c1', 'a', '10.0.0.1'));
    await rejection(service.signIn('c1', 'b', '10.0.0.1'));
    await service.signIn('c1', 'right-horse-battery', '10.0.0.1');
    await rejection(service.signIn('c1', 'c', '10.0.0.1'));
    expect((await rejection(service.signIn('c1', 'd', '10.0.0.1'))).code, 'two failures since the sign-in').toBe('unauthenticated');
    expect((await rejection(service.signIn('c1', 'e', '10.0.0.1'))).code).toBe('too-many-attempts');
  });
});
