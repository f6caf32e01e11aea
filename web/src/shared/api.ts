/**
 * JSON client for the service's /api. Same origin: the session is the HttpOnly cookie the
 * sign-in sets, sent with `credentials: 'same-origin'`. Page script never holds the token (a
 * script injected into the page could not take the session away with it).
 */
import type { LoginRequest, LoginResponse, Principal } from '../../../src/wire/auth.ts';
import { isErrorCode, type ErrorCode } from '../../../src/wire/error-codes.ts';

/** The service's error code, or `http-<status>` for a body that is not our JSON (a proxy's page). */
export type ApiErrorCode = ErrorCode | `http-${number}`;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** The error body's `details` (e.g. the field errors of a form), when it has any. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Turns a non-2xx response body into an ApiError; tolerant of bodies that are not our JSON. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code: ApiErrorCode = isErrorCode(err?.code) ? err.code : `http-${status}`;
  const message = typeof err?.message === 'string' ? err.message : `HTTP ${status}`;
  return new ApiError(status, code, message, err?.details);
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class Api {
  /** Called once per 401 so the page can show the sign-in form. */
  onUnauthenticated: (() => void) | null = null;

  constructor(private readonly fetchImpl: Fetch = (input, init) => fetch(input, init)) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async login(username: string, password: string): Promise<Principal> {
    // No `bearer`: the answer carries no token, only the HttpOnly cookie does.
    const res = await this.request<LoginResponse>('POST', '/api/auth/login', { username, password } satisfies LoginRequest);
    return res.user;
  }

  async logout(): Promise<void> {
    await this.request('POST', '/api/auth/logout', {});
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchImpl(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!res.ok) {
      const err = errorFromBody(res.status, parsed);
      if (res.status === 401 && path !== '/api/auth/login') this.onUnauthenticated?.();
      throw err;
    }
    return parsed as T;
  }
}

/** Human-readable message for any error thrown by the client. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
