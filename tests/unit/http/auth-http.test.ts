import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/adapters/http/app.ts';
import { authRoutes } from '../../../src/adapters/http/routes/auth-routes.ts';
import { UserDirectory } from '../../../src/services/auth/directory.ts';
import { SignInService } from '../../../src/services/auth/sign-in.ts';
import { serviceTestRoster } from '../../fakes/hotline-fixture.ts';
import { MemoryAuditLog } from '../../fakes/memory-audit-log.ts';
import { MemoryLoginThrottle } from '../../fakes/memory-login-throttle.ts';
import { MemorySessions } from '../../fakes/memory-sessions.ts';

/** Sign-in over real HTTP: the cookie's attributes, the token only on request, the lockout's 429, the headers. */

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function serve(opts: { secureCookie?: boolean; trustProxy?: string } = {}): Promise<string> {
  const sessions = new MemorySessions();
  const directory = new UserDirectory(serviceTestRoster(), { c1: 'demo-password-1' });
  const signIn = new SignInService({ directory, sessions, throttle: new MemoryLoginThrottle(), audit: new MemoryAuditLog() });
  const app = createHttpApp({
    sessions, log: pino({ level: 'silent' }), connectSrc: ['wss://pbx.example:8089'],
    routers: [authRoutes({ sessions, signIn, secureCookie: opts.secureCookie ?? false })],
    ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}),
  });
  server = createServer(app);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const login = (base: string, body: object, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('POST /api/auth/login over HTTP', () => {
  it('sets an HttpOnly, SameSite=Strict cookie and keeps the token out of the body unless asked', async () => {
    const base = await serve();
    const res = await login(base, { username: 'c1', password: 'demo-password-1' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ user: expect.objectContaining({ userId: 'c1' }) });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^hotline_session=[A-Za-z0-9_-]{32,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie, 'plain HTTP: no Secure').not.toContain('Secure');

    const me = await fetch(`${base}/api/auth/me`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(await me.json()).toEqual({ user: expect.objectContaining({ userId: 'c1' }) });

    const api = await login(base, { username: 'c1', password: 'demo-password-1', bearer: true });
    const { token } = (await api.json()) as { token: string };
    expect(token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const bearer = await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(200);
  });

  it('marks the cookie Secure behind a trusted TLS proxy, or always when told', async () => {
    const proxied = await serve({ trustProxy: 'loopback' });
    const viaTls = await login(proxied, { username: 'c1', password: 'demo-password-1' }, { 'x-forwarded-proto': 'https' });
    expect(viaTls.headers.get('set-cookie')).toMatch(/; Secure/);
    const viaPlain = await login(proxied, { username: 'c1', password: 'demo-password-1' }, { 'x-forwarded-proto': 'http' });
    expect(viaPlain.headers.get('set-cookie')).not.toMatch(/Secure/);
    await new Promise<void>((r) => server!.close(() => r()));

    const always = await serve({ secureCookie: true });
    expect((await login(always, { username: 'c1', password: 'demo-password-1' })).headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict; Path=\/; Secure/);
    const out = await fetch(`${always}/api/auth/logout`, { method: 'POST' });
    expect(out.headers.get('set-cookie')).toMatch(/^hotline_session=; HttpOnly; SameSite=Strict; Path=\/; Secure; Max-Age=0$/);
  });

  it('answers 429 too-many-attempts with Retry-After once a user name is locked out', async () => {
    const base = await serve();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(base, { username: 'c1', password: `guess-${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const res = await login(base, { username: 'c1', password: 'demo-password-1' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.json()).toMatchObject({ error: { code: 'too-many-attempts', details: { retryAfterSec: expect.any(Number) } } });
  });

  it('sends the security headers: a CSP without inline script, no framing, nosniff, no referrer', async () => {
    const base = await serve();
    const res = await fetch(`${base}/nowhere`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'", 'wss://pbx.example:8089']);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
