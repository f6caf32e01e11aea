import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../../src/config/settings.ts';

const ok = { ARI_PASSWORD: 'a-long-random-secret' };

function issues(env: Record<string, string>): string[] {
  try {
    loadSettings(env);
  } catch (err) {
    if (err instanceof SettingsError) return err.issues;
    throw err;
  }
  return [];
}

describe('loadSettings', () => {
  it('fills in loopback defaults', () => {
    const s = loadSettings(ok);
    expect(s.ARI_URL).toBe('http://127.0.0.1:8088');
    expect(s.HTTP_BIND).toBe('127.0.0.1');
    expect(s.HTTP_PORT).toBe(8080);
  });

  it('names a missing ARI password', () => {
    expect(issues({})).toEqual([expect.stringMatching(/^ARI_PASSWORD .*required/)]);
  });

  it.each(['asterisk', 'changeme', 'short'])('rejects the weak password %s', (pw) => {
    expect(issues({ ARI_PASSWORD: pw })[0]).toMatch(/^ARI_PASSWORD /);
  });

  it('names a bad port and a bad URL', () => {
    const found = issues({ ...ok, HTTP_PORT: '99999', REDIS_URL: 'not a url' });
    expect(found.some((i) => i.startsWith('HTTP_PORT'))).toBe(true);
    expect(found.some((i) => i.startsWith('REDIS_URL'))).toBe(true);
  });

  it('refuses to listen beyond loopback without an operator secrets file', () => {
    expect(issues({ ...ok, HTTP_BIND: '0.0.0.0' })).toEqual([expect.stringMatching(/^HOTLINE_SECRETS_FILE /)]);
    expect(issues({ ...ok, HTTP_BIND: '0.0.0.0', HOTLINE_SECRETS_FILE: '/etc/hotline/secrets.json' })).toEqual([]);
  });

  it('requires https for a PBX that is not on loopback', () => {
    expect(issues({ ...ok, ARI_URL: 'http://10.1.2.3:8088' })).toEqual([expect.stringMatching(/^ARI_URL /)]);
  });

  it('serves HTTPS only with both TLS files, and then the softphone must use wss', () => {
    const tls = { HTTP_TLS_CERT_FILE: '/etc/hotline/tls/server.crt', HTTP_TLS_KEY_FILE: '/etc/hotline/tls/server.key' };
    expect(issues({ ...ok, HTTP_TLS_CERT_FILE: tls.HTTP_TLS_CERT_FILE, SIP_WS_URL: 'wss://pbx.example.org:8089/ws' })).toEqual([expect.stringMatching(/^HTTP_TLS_KEY_FILE /)]);
    expect(issues({ ...ok, ...tls })).toEqual([expect.stringMatching(/^SIP_WS_URL must be a wss:\/\/ URL/)]);
    expect(issues({ ...ok, ...tls, SIP_WS_URL: 'ws://pbx.example.org:8088/ws' })).toEqual([expect.stringMatching(/^SIP_WS_URL /)]);
    expect(issues({ ...ok, ...tls, SIP_WS_URL: 'wss://pbx.example.org:8089/ws' })).toEqual([]);
    expect(issues({ ...ok, ...tls, ARI_URL: 'https://pbx.example.org:8089' })).toEqual([]);
    expect(issues({ ...ok, SIP_WS_URL: 'https://pbx.example.org/ws' })).toEqual([expect.stringMatching(/^SIP_WS_URL /)]);
    expect(loadSettings(ok).HTTP_SECURE_COOKIE).toBe('auto');
  });

  it('takes the sign-in lockout from the environment, 5 and 20 failures in 15 minutes by default', () => {
    expect(loadSettings(ok)).toMatchObject({ SIGN_IN_MAX_FAILURES_USER: 5, SIGN_IN_MAX_FAILURES_ADDRESS: 20, SIGN_IN_WINDOW_MIN: 15, SIGN_IN_LOCK_MIN: 15 });
    expect(loadSettings({ ...ok, SIGN_IN_MAX_FAILURES_ADDRESS: '200' }).SIGN_IN_MAX_FAILURES_ADDRESS).toBe(200);
    expect(issues({ ...ok, SIGN_IN_MAX_FAILURES_USER: '0' })[0]).toMatch(/^SIGN_IN_MAX_FAILURES_USER /);
  });

  it('accepts a pinned clock only as an ISO date-time with offset', () => {
    expect(loadSettings({ ...ok, HOTLINE_NOW: '2026-06-05T10:00:00+08:00' }).HOTLINE_NOW).toBeDefined();
    expect(issues({ ...ok, HOTLINE_NOW: 'June 5th' })[0]).toMatch(/^HOTLINE_NOW /);
  });
});
