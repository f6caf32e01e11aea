import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** A certificate for the demo and test profiles: a local CA and a server certificate it signed. */
export interface DemoCertificate {
  /** The CA to trust (in a browser or the system store) for the server certificate to be accepted. */
  caFile: string;
  /** Server certificate chain (leaf, then CA) and its key: what the service and Asterisk serve. */
  certFile: string;
  keyFile: string;
  /** base64 SHA-256 of the server key's SubjectPublicKeyInfo (Chromium's --ignore-certificate-errors-spki-list). */
  spki: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.error?.message ?? r.stderr}`);
}

/** Whether the certificate is valid for a host name or address (IPv6 is spelt out in it, so compare by meaning). */
function covers(cert: X509Certificate, name: string): boolean {
  return (isIP(name) ? cert.checkIP(name) : cert.checkHost(name, { subject: 'never' })) !== undefined;
}

export function spkiHash(certPem: string | Buffer): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/**
 * Makes (once) a CA and a server certificate for `names` with Debian's openssl, under `dir`. Kept
 * across runs, so that a browser told to trust the CA keeps trusting it; a server certificate
 * that lacks a name asked for now, or expires within a week, is issued again by the same CA.
 */
export function ensureDemoCertificate(dir: string, names: string[]): DemoCertificate {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = { caFile: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') };
  if (!existsSync(files.caFile) || !existsSync(files.caKey)) {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
      '-days', '3650', '-subj', '/O=12355 hotline demo/CN=12355 hotline demo CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    rmSync(files.certFile, { force: true });
  }
  const current = existsSync(files.certFile) && existsSync(files.keyFile) ? new X509Certificate(readFileSync(files.certFile)) : null;
  const fresh = current !== null
    && names.every((n) => covers(current, n))
    && new Date(current.validTo).getTime() > Date.now() + 7 * 86_400_000;
  if (!fresh) {
    const san = names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    // Another process (a test run in another slot) may do the same: write aside, then rename.
    const tmp = `new-${process.pid}`;
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${tmp}.key`, '-out', `${tmp}.csr`,
      '-subj', `/O=12355 hotline demo/CN=${names[0] ?? 'localhost'}`], dir);
    writeFileSync(join(dir, `${tmp}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
    openssl(['x509', '-req', '-in', `${tmp}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '825',
      '-extfile', `${tmp}.ext`, '-out', `${tmp}.leaf`], dir);
    writeFileSync(join(dir, `${tmp}.crt`), readFileSync(join(dir, `${tmp}.leaf`), 'utf8') + readFileSync(files.caFile, 'utf8'));
    renameSync(join(dir, `${tmp}.key`), files.keyFile);
    renameSync(join(dir, `${tmp}.crt`), files.certFile);
    for (const ext of ['csr', 'ext', 'leaf']) rmSync(join(dir, `${tmp}.${ext}`), { force: true });
  }
  return { caFile: files.caFile, certFile: files.certFile, keyFile: files.keyFile, spki: spkiHash(readFileSync(files.certFile)) };
}
