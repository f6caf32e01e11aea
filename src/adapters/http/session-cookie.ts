import type { Request, Response } from 'express';
import { SESSION_COOKIE } from './auth-middleware.ts';

/**
 * The session cookie: HttpOnly (page script never sees the token), SameSite=Strict (no other site
 * can send it), and Secure whenever the request came over TLS (ours, or a trusted proxy's
 * X-Forwarded-Proto) or the operator says every client uses HTTPS.
 */
export function setSessionCookie(req: Request, res: Response, token: string | null, alwaysSecure: boolean): void {
  const attrs = ['HttpOnly', 'SameSite=Strict', 'Path=/'];
  if (alwaysSecure || req.secure) attrs.push('Secure');
  if (token === null) attrs.push('Max-Age=0');
  res.setHeader('set-cookie', `${SESSION_COOKIE}=${token ?? ''}; ${attrs.join('; ')}`);
}
