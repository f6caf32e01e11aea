import { Router } from 'express';
import { z } from 'zod';
import type { Sessions } from '../../../ports/auth.ts';
import type { SignInService } from '../../../services/auth/sign-in.ts';
import type { LoginRequest, LoginResponse, SessionResponse } from '../../../wire/auth.ts';
import { principal, tokenOf } from '../auth-middleware.ts';
import { setSessionCookie } from '../session-cookie.ts';

const loginBody: z.ZodType<LoginRequest> = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  bearer: z.boolean().optional(),
});

export interface AuthRouteDeps {
  sessions: Sessions;
  signIn: SignInService;
  /** Mark the cookie Secure on every answer, not only those over TLS (a proxy that hides it). */
  secureCookie: boolean;
}

export function authRoutes(deps: AuthRouteDeps): Router {
  const r = Router();
  r.post('/api/auth/login', async (req, res) => {
    const body = loginBody.parse(req.body ?? {});
    const { token, user } = await deps.signIn.signIn(body.username, body.password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    setSessionCookie(req, res, token, deps.secureCookie);
    // The pages rely on the HttpOnly cookie; only a client that asks (a script, a test) gets the token.
    res.json((body.bearer ? { user, token } : { user }) satisfies LoginResponse);
  });
  r.post('/api/auth/logout', async (req, res) => {
    const token = tokenOf(req);
    if (token) await deps.sessions.destroy(token);
    setSessionCookie(req, res, null, deps.secureCookie);
    res.json({ ok: true });
  });
  r.get('/api/auth/me', (req, res) => {
    res.json({ user: principal(req) } satisfies SessionResponse);
  });
  return r;
}
