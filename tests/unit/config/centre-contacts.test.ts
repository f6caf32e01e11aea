import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCasesConfig } from '../../../src/config/cases-config.ts';
import { centreContacts, readWebhookSecrets, webhookSecretEnvName } from '../../../src/config/centre-contacts.ts';
import { parseCentresConfig } from '../../../src/config/centres-config.ts';
import { ConfigError } from '../../../src/config/config-error.ts';

const CONFIG = join(import.meta.dirname, '../../../config');
const cases = loadCasesConfig(join(CONFIG, 'cases.yaml'));
const raw = () => parse(readFileSync(join(CONFIG, 'centres.yaml'), 'utf8')) as { centres: Array<Record<string, unknown>> };

function withNotify(notify: unknown) {
  const r = raw();
  const c = r.centres.find((x) => x.id === 'gz-tianhe');
  if (c) c.notify = notify;
  return parseCentresConfig(r, cases);
}

describe('centre delivery addresses', () => {
  it('takes a webhook and e-mail addresses from centres.yaml and the secret from the environment first, then the secrets file', () => {
    const centres = withNotify({ webhook: 'https://tianhe.example.org/hook', emails: ['duty@tianhe.example.org'] });
    const env = { [webhookSecretEnvName('gz-tianhe')]: 'from-env' };
    expect(webhookSecretEnvName('gz-tianhe')).toBe('HOTLINE_WEBHOOK_SECRET_GZ_TIANHE');
    expect(centreContacts(centres, { 'gz-tianhe': 'from-file' }, env).get('gz-tianhe')).toEqual({
      name: '天河区12355青少年服务站', webhook: { url: 'https://tianhe.example.org/hook', secret: 'from-env' }, emails: ['duty@tianhe.example.org'],
    });
    expect(centreContacts(centres, { 'gz-tianhe': 'from-file' }, {}).get('gz-tianhe')?.webhook?.secret).toBe('from-file');
    // No secret: kept with an empty one, so its sends fail loudly instead of going out unsigned.
    expect(centreContacts(centres, {}, {}).get('gz-tianhe')?.webhook?.secret).toBe('');
    expect(centreContacts(centres, {}, {}).get('gz-city')).toEqual({ name: '广州市12355青少年服务中心', webhook: null, emails: [] });
  });

  it('refuses a webhook that is not an http(s) URL and an address that is not e-mail, naming the setting', () => {
    for (const bad of [{ webhook: 'ftp://x.example.org' }, { webhook: 'not a url' }, { emails: ['nobody'] }, { sms: '123' }]) {
      expect(() => withNotify(bad)).toThrow(ConfigError);
    }
  });

  it('reads `webhooks` of the secrets file, ignoring anything but strings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    try {
      const file = join(dir, 'secrets.json');
      writeFileSync(file, JSON.stringify({ ariPassword: 'x', webhooks: { 'gz-tianhe': 's1', other: 42 } }));
      expect(readWebhookSecrets(file)).toEqual({ 'gz-tianhe': 's1' });
      expect(readWebhookSecrets(join(dir, 'missing.json'))).toEqual({});
      expect(readWebhookSecrets(undefined)).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
