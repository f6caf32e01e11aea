import type { Request, RequestHandler } from 'express';
import { AuthError } from '../../errors.ts';
import type { Principal, Role, Sessions } from '../../ports/auth.ts';

export const SESSION_COOKIE = 'hotline_session';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function tokenOf(req: Request): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const cookie = req.headers.cookie;
  if (!cookie) return null;
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE) return decodedOrNull(v.join('='));
  }
  return null;
}

/** A cookie value that does not URL-decode (`%`, `%E0%A4%A`) is no token, like an unknown one: not a 500. */
function decodedOrNull(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Resolves the session, if any; `requireRole` then decides. */
export function authenticate(sessions: Sessions): RequestHandler {
  return async (req, _res, next) => {
    const token = tokenOf(req);
    if (token) req.principal = (await sessions.get(token)) ?? undefined;
    next();
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal) throw new AuthError('unauthenticated', 'sign in first');
    if (!roles.includes(req.principal.role)) throw new AuthError('forbidden', `needs role ${roles.join(' or ')}`);
    next();
  };
}

export function principal(req: Request): Principal {
  if (!req.principal) throw new AuthError('unauthenticated', 'sign in first');
  return req.principal;
}
