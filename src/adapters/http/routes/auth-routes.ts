import { Router } from 'express';
import { z } from 'zod';
import { AuthError } from '../../../errors.ts';
import type { Sessions } from '../../../ports/auth.ts';
import type { UserDirectory } from '../../../services/auth/directory.ts';
import type { LoginRequest, LoginResponse, SessionResponse } from '../../../wire/auth.ts';
import { principal, SESSION_COOKIE, tokenOf } from '../auth-middleware.ts';

const loginBody: z.ZodType<LoginRequest> = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

export function authRoutes(sessions: Sessions, directory: UserDirectory): Router {
  const r = Router();
  r.post('/api/auth/login', async (req, res) => {
    const body = loginBody.parse(req.body ?? {});
    const who = directory.verify(body.username, body.password);
    if (!who) throw new AuthError('unauthenticated', 'wrong user name or password');
    const token = await sessions.create(who);
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    res.json({ token, user: who } satisfies LoginResponse);
  });
  r.post('/api/auth/logout', async (req, res) => {
    const token = tokenOf(req);
    if (token) await sessions.destroy(token);
    res.setHeader('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    res.json({ ok: true });
  });
  r.get('/api/auth/me', (req, res) => {
    res.json({ user: principal(req) } satisfies SessionResponse);
  });
  return r;
}
