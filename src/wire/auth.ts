/** Sign-in: POST /api/auth/login, GET /api/auth/me. */
import type { Principal } from '../ports/auth.ts';

export type { Principal, Role } from '../ports/auth.ts';
export type { TeamLevel } from '../domain/routing/types.ts';

export interface LoginRequest {
  username: string;
  password: string;
  /** Also return the session token, for API clients that send it as a Bearer header. Pages leave it out. */
  bearer?: boolean;
}

export interface LoginResponse {
  user: Principal;
  /** Only when the request asked for it (`bearer: true`); the session is always set as an HttpOnly cookie. */
  token?: string;
}

export interface SessionResponse {
  user: Principal;
}
