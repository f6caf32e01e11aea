import { describe, expect, it } from 'vitest';
import { Api, ApiError, errorFromBody } from '../../../web/src/shared/api.ts';
import { homeFor, mayUse } from '../../../web/src/shared/auth.ts';

describe('Api', () => {
  it('relies on the same-origin cookie and sends JSON, with no Authorization header', async () => {
    const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
    const api = new Api(async (url, init) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ ok: true }), { status: 200 });
    });
    await api.post('/api/counsellors/me/state', { action: 'login' });
    expect(seen[0]?.url).toBe('/api/counsellors/me/state');
    expect(seen[0]?.init).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      body: '{"action":"login"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(seen[0]?.init?.headers).not.toHaveProperty('authorization');
  });

  it('signs in without asking for the token, and sends none afterwards', async () => {
    const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
    const user = { userId: 'c1', name: '李', role: 'counsellor', team: 'gz', level: 'city' };
    const api = new Api(async (url, init) => {
      seen.push({ url, init });
      return url === '/api/auth/login' ? new Response(JSON.stringify({ user })) : new Response('{"ok":true}');
    });
    expect(await api.login('u', 'p')).toEqual(user);
    expect(JSON.parse(String(seen[0]?.init?.body))).toEqual({ username: 'u', password: 'p' });
    await api.get('/api/auth/me');
    await api.logout();
    for (const s of seen) expect(s.init?.headers).not.toHaveProperty('authorization');
    expect(seen.map((s) => s.url)).toEqual(['/api/auth/login', '/api/auth/me', '/api/auth/logout']);
  });

  it('turns error bodies into ApiError and reports 401 once', async () => {
    let unauth = 0;
    const api = new Api(async () =>
      new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'sign in first' } }), { status: 401 }),
    );
    api.onUnauthenticated = () => (unauth += 1);
    await expect(api.get('/api/counsellors/me')).rejects.toMatchObject({ status: 401, code: 'unauthenticated', message: 'sign in first' });
    expect(unauth).toBe(1);
    await expect(api.login('u', 'bad')).rejects.toBeInstanceOf(ApiError);
    expect(unauth).toBe(1);
  });

  it('copes with bodies that are not our JSON', () => {
    expect(errorFromBody(502, null)).toMatchObject({ status: 502, code: 'http-502', message: 'HTTP 502' });
    expect(errorFromBody(400, { error: { code: 'invalid-request', message: 'x' } }).code).toBe('invalid-request');
  });
});

describe('pages by role', () => {
  it('sends counsellors to the console and supervisors and admins to the dashboard', () => {
    expect(homeFor('counsellor')).toBe('console.html');
    expect(homeFor('supervisor')).toBe('supervisor.html');
    expect(homeFor('admin')).toBe('supervisor.html');
    expect(mayUse('console', 'counsellor')).toBe(true);
    expect(mayUse('console', 'supervisor')).toBe(false);
    expect(mayUse('supervisor', 'admin')).toBe(true);
    expect(mayUse('supervisor', 'counsellor')).toBe(false);
  });

  it('sends centre staff to the centre page, and nobody else there', () => {
    expect(homeFor('centre')).toBe('centre.html');
    expect(mayUse('centre', 'centre')).toBe(true);
    for (const role of ['counsellor', 'supervisor', 'admin'] as const) expect(mayUse('centre', role)).toBe(false);
    for (const page of ['console', 'supervisor'] as const) expect(mayUse(page, 'centre')).toBe(false);
  });

  it('keeps the details of an error body for the page (a form\'s field errors)', () => {
    const err = errorFromBody(400, { error: { code: 'bad-request', message: 'x', details: { errors: [{ field: 'grade' }] } } });
    expect(err.details).toEqual({ errors: [{ field: 'grade' }] });
    expect(errorFromBody(500, null).details).toBeUndefined();
  });
});
