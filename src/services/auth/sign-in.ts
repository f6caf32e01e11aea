import { AuthError, TooManyAttemptsError } from '../../errors.ts';
import type { AuditLog, Principal, Sessions } from '../../ports/auth.ts';
import type { LoginThrottle, ThrottlePolicy } from '../../ports/login-throttle.ts';
import type { UserDirectory } from './directory.ts';

export interface SignInPolicy {
  /** Per user name: a few guesses, then a pause that makes guessing one password hopeless. */
  user: ThrottlePolicy;
  /** Per client address: more room (a shared office behind one address), still bounded. */
  address: ThrottlePolicy;
}

/** The lockout from the settings' numbers (minutes); the defaults are 5 and 20 failures in 15 minutes, 15 minutes' lock. */
export function signInPolicy(o: { userMaxFailures: number; addressMaxFailures: number; windowMin: number; lockMin: number }): SignInPolicy {
  const windowMs = o.windowMin * 60_000;
  const lockMs = o.lockMin * 60_000;
  return { user: { maxFailures: o.userMaxFailures, windowMs, lockMs }, address: { maxFailures: o.addressMaxFailures, windowMs, lockMs } };
}

export const DEFAULT_SIGN_IN_POLICY: SignInPolicy = signInPolicy({ userMaxFailures: 5, addressMaxFailures: 20, windowMin: 15, lockMin: 15 });

/** Audit actions of sign-ins (the AuditLog's `action`). */
export const SIGN_IN_AUDIT = { ok: 'sign-in', failed: 'sign-in-failed', refused: 'sign-in-refused' } as const;

/**
 * Sign-in with a lockout: failures count per user name and per client address (in the shared
 * throttle store), a locked key is refused without checking the password, and every attempt,
 * good or bad, is written to the audit log.
 */
export class SignInService {
  constructor(
    private readonly deps: { directory: UserDirectory; sessions: Sessions; throttle: LoginThrottle; audit: AuditLog; policy?: SignInPolicy },
  ) {}

  async signIn(username: string, password: string, address: string): Promise<{ token: string; user: Principal }> {
    const { directory, sessions, throttle, audit } = this.deps;
    const policy = this.deps.policy ?? DEFAULT_SIGN_IN_POLICY;
    // Case-folded: "C1001" and "c1001" share one count even though only one of them exists.
    const userKey = `user:${username.toLowerCase()}`;
    const addrKey = `addr:${address}`;
    const known = directory.principalOf(username);
    const attempt = { actor: username, role: known?.role ?? ('system' as const), target: username, data: { address } };

    const locked = Math.max(await throttle.lockedFor(userKey), await throttle.lockedFor(addrKey));
    if (locked > 0) {
      await audit.append({ ...attempt, action: SIGN_IN_AUDIT.refused, data: { address, retryAfterMs: locked } });
      throw new TooManyAttemptsError(locked);
    }

    const user = directory.verify(username, password);
    if (!user) {
      const [byUser, byAddr] = await Promise.all([throttle.recordFailure(userKey, policy.user), throttle.recordFailure(addrKey, policy.address)]);
      await audit.append({ ...attempt, action: SIGN_IN_AUDIT.failed, data: { address, knownUser: known !== null } });
      const lock = Math.max(byUser, byAddr);
      if (lock > 0) throw new TooManyAttemptsError(lock);
      throw new AuthError('unauthenticated', 'wrong user name or password');
    }

    // Only the user's count: a valid account must not wipe an address's record of guessing others.
    await throttle.clear(userKey);
    const token = await sessions.create(user);
    await audit.append({ actor: user.userId, role: user.role, action: SIGN_IN_AUDIT.ok, target: user.userId, data: { address } });
    return { token, user };
  }
}
