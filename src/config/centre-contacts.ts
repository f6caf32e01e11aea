/**
 * Each centre's delivery addresses (centres.yaml `notify`) with its webhook secret. Secrets never
 * live in the YAML: `HOTLINE_WEBHOOK_SECRET_<CENTRE_ID>` in the environment (id upper-cased, `-`
 * as `_`), else `webhooks.<centre-id>` in the secrets file. A webhook without a secret is kept, so
 * that its sends fail, retry and end in a supervisor alert rather than going out unsigned or
 * vanishing.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { CentreContact } from '../ports/order-delivery.ts';
import type { CentresConfig } from './centres-config.ts';

export function webhookSecretEnvName(centreId: string): string {
  return `HOTLINE_WEBHOOK_SECRET_${centreId.toUpperCase().replace(/-/g, '_')}`;
}

/** `webhooks` of the secrets file (JSON), or none. */
export function readWebhookSecrets(secretsFile: string | undefined): Record<string, string> {
  if (!secretsFile || !existsSync(secretsFile)) return {};
  const raw = JSON.parse(readFileSync(secretsFile, 'utf8')) as { webhooks?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(raw.webhooks ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function centreContacts(centres: CentresConfig, fileSecrets: Record<string, string>, env: Record<string, string | undefined>): Map<string, CentreContact> {
  const contacts = new Map<string, CentreContact>();
  for (const c of centres.centres) {
    const url = c.notify?.webhook;
    const secret = env[webhookSecretEnvName(c.id)] ?? fileSecrets[c.id] ?? '';
    contacts.set(c.id, { name: c.name, webhook: url ? { url, secret } : null, emails: c.notify?.emails ?? [] });
  }
  return contacts;
}
