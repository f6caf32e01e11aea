import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROFILES } from '../../../src/config/profiles.ts';

/**
 * docker/compose.yaml checked without an engine (none here): parsed and held against the rules
 * of a real deployment shape — SIP, WSS and RTP reachable from outside, ARI not, secrets only from
 * the environment and required.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const text = readFileSync(join(ROOT, 'docker/compose.yaml'), 'utf8');
const compose = parse(text) as { services: Record<string, { ports?: string[]; environment?: Record<string, string> }> };
const hotline = compose.services.hotline!;

/** "[host_ip:]published:target[/proto]" → its parts; published may be a range. */
function port(spec: string) {
  const [addrPorts, proto = 'tcp'] = spec.split('/');
  const parts = addrPorts!.split(':');
  const target = parts.pop()!;
  const published = parts.pop()!;
  return { hostIp: parts.pop() ?? '0.0.0.0', published, target, proto };
}

describe('docker/compose.yaml', () => {
  const ports = (hotline.ports ?? []).map(port);
  const published = (p: string, proto: string) => ports.find((x) => x.published === p && x.proto === proto);

  it('publishes SIP over UDP, TCP and TLS, WSS and the whole RTP range on every interface', () => {
    const demo = PROFILES.demo;
    for (const [p, proto] of [[String(demo.sipPort), 'udp'], [String(demo.sipPort), 'tcp'], [String(demo.sipTlsPort), 'tcp'], [String(demo.ariHttpsPort), 'tcp'], [`${demo.rtpStart}-${demo.rtpEnd}`, 'udp']] as const) {
      const found = published(p, proto);
      expect(found, `${p}/${proto} published`).toBeDefined();
      expect(found!.hostIp, `${p}/${proto} reachable from outside`).toBe('0.0.0.0');
      expect(found!.target).toBe(p);
    }
  });

  it('keeps ARI (Asterisk HTTP without TLS) inside the container', () => {
    expect(ports.some((p) => p.target === String(PROFILES.demo.ariHttpPort))).toBe(false);
  });

  it('takes every secret from the environment, required, with no default and no generated demo file', () => {
    const env = hotline.environment ?? {};
    expect(env.HOTLINE_SECRETS_JSON).toMatch(/^\$\{HOTLINE_SECRETS_JSON:\?/);
    expect(compose.services.postgres!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    // Any ${VAR} with a password in its name is required (":?"), never defaulted (":-").
    for (const m of text.matchAll(/\$\{([A-Z_]*(PASSWORD|SECRET)[A-Z_]*)([:?-][^}]*)?\}/g)) expect(m[3] ?? '', m[0]).toMatch(/^:\?/);
    expect(text).not.toMatch(/password\s*[:=]\s*['"]?[A-Za-z0-9]{6,}/i);
    expect(env.CARRIER_ADDRESS).toMatch(/:\?/);
    expect(env.SIP_BIND).toBe('0.0.0.0');
  });

  it("checks the operator's secrets before starting Asterisk (entrypoint)", () => {
    const entry = readFileSync(join(ROOT, 'docker/entrypoint.sh'), 'utf8');
    expect(entry.indexOf('check-secrets.ts')).toBeGreaterThan(0);
    expect(entry.indexOf('check-secrets.ts')).toBeLessThan(entry.indexOf('pbx.ts start'));
  });
});
