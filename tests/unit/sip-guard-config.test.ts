import { describe, expect, test } from 'vitest';
import { guardTable, neverBlocked, renderSipGuard, sipUriHost, type SipGuardTarget } from '../../src/adapters/asterisk/sip-guard-config.ts';

const target = (over: Partial<SipGuardTarget> = {}): SipGuardTarget => ({
  runDir: '/var/x/asterisk-3',
  sipPort: 15063,
  carrierAddress: '203.0.113.7',
  emergencyUri: 'sip:110@198.51.100.1:5070',
  emergencyFallbackUri: 'sip:110@[2001:db8::1]:5072',
  carrierOutUri: 'sip:203.0.113.8:5090',
  tls: { sipTlsPort: 15064 },
  sipGuard: { maxFailures: 5, windowSeconds: 60, banSeconds: 600, neverBlock: ['10.1.0.0/16'], name: 'test-3' },
  ...over,
});

describe('sipUriHost', () => {
  test.each([
    ['sip:110@127.0.0.1:5070', '127.0.0.1'],
    ['sip:203.0.113.8:5090', '203.0.113.8'],
    ['sips:user@carrier.example;transport=tls', 'carrier.example'],
    ['sip:110@[2001:db8::1]:5072', '2001:db8::1'],
    ['tel:110', null],
  ])('%s → %s', (uri, host) => expect(sipUriHost(uri)).toBe(host));
});

describe('the SIP guard never bans the parts that carry callers', () => {
  test('the machine, the carrier, the trunks and the operator\'s networks are spared, once each', () => {
    expect(neverBlocked(target())).toEqual(['127.0.0.1', '::1', '203.0.113.7', '198.51.100.1', '2001:db8::1', '203.0.113.8', '10.1.0.0/16']);
    expect(neverBlocked(target({ carrierAddress: '127.0.0.1' })).filter((a) => a === '127.0.0.1')).toHaveLength(1);
  });

  test('the jail lists them all in ignoreip and bans on the SIP ports only', () => {
    const jail = renderSipGuard(target()).files['jail.conf'] ?? '';
    expect(jail).toMatch(/^ignoreip = 127\.0\.0\.1 ::1 203\.0\.113\.7 198\.51\.100\.1 2001:db8::1 203\.0\.113\.8 10\.1\.0\.0\/16$/m);
    expect(jail).toContain('protocol=udp, table=hotline-test-3');
    expect(jail).toMatch(/port="15063", protocol=udp/);
    expect(jail).toMatch(/port="15063,15064", protocol=tcp/);
    expect(jail).toMatch(/^ignoreself = false$/m);
  });

  test('without TLS only the plain port is guarded', () => {
    const jail = renderSipGuard(target({ tls: undefined })).files['jail.conf'] ?? '';
    expect(jail).toMatch(/port="15063", protocol=tcp/);
  });
});

describe('the jail follows the settings', () => {
  test('thresholds, the security log and the server\'s own files', () => {
    const r = renderSipGuard(target({ sipGuard: { maxFailures: 3, windowSeconds: 30, banSeconds: 20, neverBlock: [], name: 'demo-0' } }));
    const jail = r.files['jail.conf'] ?? '';
    expect(jail).toMatch(/^maxretry = 3$/m);
    expect(jail).toMatch(/^findtime = 30$/m);
    expect(jail).toMatch(/^bantime = 20$/m);
    expect(jail).toMatch(/^logpath = \/var\/x\/asterisk-3\/log\/security\.log$/m);
    expect(jail).toMatch(/^filter = asterisk$/m);
    expect(r.files['fail2ban.conf']).toContain('socket = /var/x/asterisk-3/run/fail2ban.sock');
    expect(r.files['fail2ban.conf']).toContain('dbfile = :memory:');
    expect(r.confDir).toBe('/var/x/asterisk-3/fail2ban');
  });

  test('table names keep to what nftables allows', () => {
    expect(guardTable(target({ sipGuard: { ...target().sipGuard, name: 'demo 0/x' } }))).toBe('hotline-demo-0-x');
  });
});
