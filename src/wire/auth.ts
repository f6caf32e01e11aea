/** Sign-in: POST /api/auth/login, GET /api/auth/me. */
import type { Principal } from '../ports/auth.ts';

export type { Principal, Role } from '../ports/auth.ts';
export type { TeamLevel } from '../domain/routing/types.ts';

export interface LoginRequest {
  username: string;
  password: string;
}

export interface LoginResponse {
  token: string;
  user: Principal;
}

export interface SessionResponse {
  user: Principal;
}
