/** Prints what a person needs to try the demo: numbers, SIP accounts, sign-ins and URLs. */
import { resolve } from 'node:path';
import { pbxForProfile } from '../src/adapters/asterisk/pbx-profile.ts';
import { PROFILES } from '../src/config/profiles.ts';

const projectDir = resolve(import.meta.dirname, '..');
const { params, secrets, secretsFile } = pbxForProfile(projectDir, 'demo');
const p = PROFILES.demo;
const lines = [
  '',
  '12355 hotline demo is starting',
  `  Hotline numbers: 12355 (main), 123550 (exam-season line); the carrier is expected from ${p.carrierAddress}`,
  `    e.g. sipp -sn uac -s 12355 127.0.0.1:${p.sipPort} -i ${p.carrierAddress} -m 1`,
  `  SIP server: 127.0.0.1:${p.sipPort} (UDP/TCP), ws://127.0.0.1:${p.ariHttpPort}/ws (browser)`,
  '  Accounts (SIP phone / browser, same password):',
  ...[...params.roster.counsellors, ...params.roster.staff]
    .filter((x) => x.sipUser)
    .map((x) => `    ${x.sipUser} / web${x.sipUser}  ${x.name}  password ${secrets.sip[x.sipUser as string]}`),
  '  Web sign-in (user / password):',
  ...Object.entries(secrets.web).map(([u, pw]) => `    ${u}  ${pw}`),
  `  Console:    http://127.0.0.1:${p.servicePort}/console.html`,
  `  Supervisor: http://127.0.0.1:${p.servicePort}/supervisor.html`,
  `  API health: http://127.0.0.1:${p.servicePort}/readyz    metrics: http://127.0.0.1:${p.servicePort}/metrics`,
  `  Secrets are kept in ${secretsFile}. Ctrl-C stops everything.`,
  '',
];
console.log(lines.join('\n'));
