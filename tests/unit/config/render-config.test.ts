import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillTemplate, renderAsteriskConfig, renderEndpoints, type PbxParams } from '../../../src/adapters/asterisk/render-config.ts';
import { loadRoster } from '../../../src/config/roster.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const roster = loadRoster(resolve(ROOT, 'config/roster.demo.yaml'));
const passwords = Object.fromEntries(['1001', '1002', '1003', '1004', '2001'].map((u) => [u, `pw-${u}-secret`]));

const params: PbxParams = {
  runDir: '/run/x', asteriskPrefix: '/opt/a', soundsDir: '/snd', ariApp: 'hotline', ariUser: 'hotline', ariPassword: 'ari-secret-123',
  httpBind: '127.0.0.1', httpPort: 18088, sipBind: '127.0.0.1', sipPort: 15060, carrierAddress: '127.0.0.2',
  emergencyUri: 'sip:110@127.0.0.1:5070', emergencyFallbackUri: 'sip:110@127.0.0.1:5072', carrierOutUri: 'sip:127.0.0.2:5090', rtpStart: 11000, rtpEnd: 11999,
  amiPort: 15038, sipPasswords: passwords, roster,
};

describe('fillTemplate', () => {
  it('replaces placeholders and leaves Asterisk variables alone', () => {
    expect(fillTemplate('Stasis({{APP}},${LINE})', { APP: 'hotline' }, 't')).toBe('Stasis(hotline,${LINE})');
  });
  it('fails on a placeholder without a value instead of writing an empty string', () => {
    expect(() => fillTemplate('x={{MISSING}}', {}, 'a.conf.tmpl')).toThrow('a.conf.tmpl: no value for {{MISSING}}');
  });
});

describe('renderEndpoints', () => {
  it('gives each person a plain SIP and a WebRTC account with the same password', () => {
    const text = renderEndpoints(roster, passwords);
    expect(text).toContain('[1001]\ntype = endpoint');
    expect(text).toContain('[web1001]\ntype = endpoint');
    expect(text.match(/password = pw-1001-secret/g)).toHaveLength(2);
    expect(text).toMatch(/\[web1001\][^[]*webrtc = yes/);
  });
  it('refuses a roster entry without a password', () => {
    expect(() => renderEndpoints(roster, { '1001': 'x' })).toThrow(/no SIP password for 1002/);
  });
});

describe('renderAsteriskConfig', () => {
  const files = renderAsteriskConfig(ROOT, params);
  it('renders every template, with ARI on loopback and the generated password', () => {
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['asterisk.conf', 'http.conf', 'ari.conf', 'pjsip.conf', 'extensions.conf', 'queues.conf']));
    expect(files['http.conf']).toMatch(/bindaddr = 127\.0\.0\.1/);
    expect(files['ari.conf']).toMatch(/password = ari-secret-123/);
    expect(Object.values(files).join('\n')).not.toMatch(/\{\{[A-Z_]+\}\}/);
  });
  it('hands both hotline numbers to the Stasis app with their line, and has a humane fallback', () => {
    const dp = files['extensions.conf'] ?? '';
    expect(dp).toMatch(/exten => 12355,1,Set\(__HOTLINE_LINE=main\)/);
    expect(dp).toMatch(/exten => 123550,1,Set\(__HOTLINE_LINE=exam\)/);
    expect(dp).toMatch(/Stasis\(\$\{HOTLINE_APP\},\$\{HOTLINE_LINE\}/);
    expect(dp).toMatch(/\[hotline-fallback\][\s\S]*Playback\(hotline\/cmn\/line_unavailable\)[\s\S]*Queue\(fallback/);
    expect(dp).not.toMatch(/\[hotline-fallback\][\s\S]*Hangup\(\)[\s\S]*\[from-counsellor\]/);
  });
  it('points the emergency trunk at the configured 110 target and the carrier at its own address', () => {
    expect(files['pjsip.conf']).toContain('contact = sip:110@127.0.0.1:5070');
    expect(files['pjsip.conf']).toMatch(/type = identify\nendpoint = carrier\nmatch = 127\.0\.0\.2/);
  });
});

describe('renderAsteriskConfig with TLS', () => {
  const tls = { certFile: '/tls/server.crt', keyFile: '/tls/server.key', httpsPort: 18089, sipTlsPort: 15061, srtp: 'optional' as const };
  const files = renderAsteriskConfig(ROOT, { ...params, tls });
  const endpoint = (text: string, name: string) => text.split(/\n(?=\[)/).find((b) => b.startsWith(`[${name}]\ntype = endpoint`)) ?? '';

  it('serves WSS from Asterisk\'s HTTP server with the certificate, beside plain HTTP', () => {
    expect(files['http.conf']).toMatch(/bindport = 18088/);
    expect(files['http.conf']).toMatch(/^tlsenable = yes$/m);
    expect(files['http.conf']).toMatch(/^tlsbindaddr = 127\.0\.0\.1:18089$/m);
    expect(files['http.conf']).toMatch(/^tlscertfile = \/tls\/server\.crt$/m);
    expect(files['http.conf']).toMatch(/^tlsprivatekey = \/tls\/server\.key$/m);
  });

  it('adds a SIP TLS transport and offers SDES-SRTP to desk phones, not to the WebRTC accounts', () => {
    expect(files['pjsip.conf']).toMatch(/\[transport-tls\]\ntype = transport\nprotocol = tls\nbind = 127\.0\.0\.1:15061\ncert_file = \/tls\/server\.crt\npriv_key_file = \/tls\/server\.key/);
    expect(files['pjsip.conf']).toMatch(/\[transport-udp\]/);
    expect(endpoint(files['pjsip.conf']!, '1001')).toMatch(/media_encryption = sdes\nmedia_encryption_optimistic = yes/);
    expect(endpoint(files['pjsip.conf']!, 'web1001')).not.toMatch(/media_encryption/);
    expect(endpoint(files['pjsip.conf']!, 'carrier')).not.toMatch(/media_encryption/);
  });

  it('can require SRTP of desk phones', () => {
    const strict = renderAsteriskConfig(ROOT, { ...params, tls: { ...tls, srtp: 'required' } });
    expect(endpoint(strict['pjsip.conf']!, '2001')).toMatch(/media_encryption = sdes\nmedia_encryption_optimistic = no/);
  });

  it('renders none of it without a certificate', () => {
    const plain = renderAsteriskConfig(ROOT, params);
    expect(plain['http.conf']).not.toMatch(/tls/);
    expect(plain['pjsip.conf']).not.toMatch(/transport-tls|media_encryption/);
  });
});
