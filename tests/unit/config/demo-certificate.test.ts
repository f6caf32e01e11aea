import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoCertificate, spkiHash } from '../../../src/adapters/asterisk/demo-certificate.ts';

/** The demo and test profiles' certificate, made with openssl: a CA and a server certificate it signed. */

const dir = mkdtempSync(join(tmpdir(), 'hotline-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ensureDemoCertificate', () => {
  const names = ['localhost', 'hotline.test', '127.0.0.1', '::1'];
  const first = ensureDemoCertificate(dir, names);

  it('issues a server certificate for every name, signed by its own CA', () => {
    const [leafPem] = readFileSync(first.certFile, 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/);
    const leaf = new X509Certificate(leafPem!);
    const ca = new X509Certificate(readFileSync(first.caFile));
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkHost('hotline.test')).toBe('hotline.test');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBeDefined();
    expect(leaf.checkHost('evil.test')).toBeUndefined();
    expect(leaf.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    expect(first.spki).toBe(spkiHash(leafPem!));
  });

  it('keeps the certificate across calls, and issues a new one from the same CA for a new name', () => {
    expect(ensureDemoCertificate(dir, names)).toEqual(first);
    const ca = readFileSync(first.caFile, 'utf8');
    const wider = ensureDemoCertificate(dir, [...names, 'counsellors.lan']);
    expect(wider.spki).not.toBe(first.spki);
    expect(readFileSync(wider.caFile, 'utf8')).toBe(ca);
    expect(new X509Certificate(readFileSync(wider.certFile)).checkHost('counsellors.lan')).toBe('counsellors.lan');
  });
});
