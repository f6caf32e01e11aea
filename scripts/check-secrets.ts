/**
 * Checks an operator's secrets file against the roster: the ARI password and one SIP password per
 * roster account must be there (the demo would generate missing ones; a deployment must not).
 *   node --import tsx scripts/check-secrets.ts <secrets.json> [roster.yaml]
 */
import { resolve } from 'node:path';
import { readSecrets } from '../src/adapters/asterisk/secrets.ts';
import { loadRoster } from '../src/config/roster.ts';

const [file, rosterFile] = process.argv.slice(2);
if (!file) {
  console.error('usage: check-secrets.ts <secrets.json> [roster.yaml]');
  process.exit(2);
}
const secrets = readSecrets(resolve(file));
const roster = loadRoster(resolve(rosterFile ?? process.env.HOTLINE_ROSTER ?? 'config/roster.demo.yaml'));
const gaps = [
  ...(secrets.ariPassword.length >= 12 ? [] : ['ariPassword (at least 12 characters)']),
  ...[...roster.counsellors, ...roster.staff].filter((p) => p.sipUser && !secrets.sip[p.sipUser]).map((p) => `sip.${p.sipUser} (${p.id})`),
  ...[...roster.counsellors, ...roster.staff].filter((p) => !secrets.web[p.id]).map((p) => `web.${p.id}`),
];
if (gaps.length) {
  console.error(`secrets file ${file} lacks: ${gaps.join(', ')}`);
  process.exit(2);
}
console.log(`secrets file ${file}: complete for ${roster.counsellors.length + roster.staff.length} people`);
