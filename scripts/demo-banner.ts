/** Prints what a person needs to try the demo: numbers, SIP accounts, sign-ins and URLs. */
import { resolve } from 'node:path';
import { pbxForProfile, publicHost } from '../src/adapters/asterisk/pbx-profile.ts';
import { PROFILES } from '../src/config/profiles.ts';

const projectDir = resolve(import.meta.dirname, '..');
const { params, secrets, secretsFile, certificate } = pbxForProfile(projectDir, 'demo');
const p = PROFILES.demo;
const web = `https://${publicHost()}:${p.servicePort}`;
const lines = [
  '',
  '12355 hotline demo is starting',
  `  Hotline numbers: 12355 (main), 123550 (exam-season line); the carrier is expected from ${p.carrierAddress}`,
  `    e.g. sipp -sn uac -s 12355 127.0.0.1:${p.sipPort} -i ${p.carrierAddress} -m 1`,
  `  SIP server: 127.0.0.1:${p.sipPort} (UDP/TCP), TLS on ${p.sipTlsPort} (SRTP offered), wss://${publicHost()}:${p.ariHttpsPort}/ws (browser)`,
  '  Accounts (SIP phone / browser, same password):',
  ...[...params.roster.counsellors, ...params.roster.staff]
    .filter((x) => x.sipUser)
    .map((x) => `    ${x.sipUser} / web${x.sipUser}  ${x.name}  password ${secrets.sip[x.sipUser as string]}`),
  '  Web sign-in (user / password):',
  ...Object.entries(secrets.web).map(([u, pw]) => `    ${u}  ${pw}`),
  `  Console:    ${web}/console.html`,
  `  Supervisor: ${web}/supervisor.html`,
  `  API health: ${web}/readyz    metrics: ${web}/metrics`,
  `  HTTPS and WSS use a certificate from the demo's own CA: trust ${certificate.caFile} in the browser (README, HTTPS).`,
  `    Chromium without trusting it: --ignore-certificate-errors-spki-list=${certificate.spki}`,
  `  Secrets are kept in ${secretsFile}. Ctrl-C stops everything.`,
  '',
];
console.log(lines.join('\n'));
