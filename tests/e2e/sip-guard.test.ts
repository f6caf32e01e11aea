import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pbxForProfile } from '../../src/adapters/asterisk/pbx-profile.ts';
import { isSipGuardRunning, sipGuardBanned, sipGuardUnban } from '../../src/adapters/asterisk/sip-guard.ts';
import { registrar, type Registrar } from '../support/bad-register.ts';
import { sleep, waitFor } from './support/wait.ts';

/**
 * The SIP guard beside the test PBX (fail2ban on Asterisk's security log, nftables on the SIP
 * ports): an address that keeps failing to authenticate is blocked for a while, nobody else is,
 * and the carrier is never blocked, whatever its traffic looks like.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const { params, secrets } = pbxForProfile(ROOT, 'test');
const guard = { ...params, sipGuard: params.sipGuard ?? { maxFailures: 5, windowSeconds: 60, banSeconds: 600, neverBlock: [], name: 'unset' } };
const GUESSER = '127.0.0.4';
const NEIGHBOUR = '127.0.0.5';
const SPOOFED = '127.0.0.6';
const RIGHT = secrets.sip['2001'] ?? '';
const opened: Registrar[] = [];

async function ua(from: string): Promise<Registrar> {
  const r = await registrar({ from, pbxPort: params.sipPort, user: '2001' });
  opened.push(r);
  return r;
}

/** A security-log line as Asterisk writes it for a failed digest, from `address`. */
function securityLine(address: string): string {
  const now = new Date().toISOString().replace('T', ' ').slice(0, 23);
  return `[${now}] SECURITY[4242] res_security_log.c: SecurityEvent="ChallengeResponseFailed",EventTV="${new Date().toISOString()}",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="2001",SessionID="x",LocalAddress="IPV4/UDP/127.0.0.1/${params.sipPort}",RemoteAddress="IPV4/UDP/${address}/5060",Challenge="abc",Response="def",ExpectedResponse=""\n`;
}

afterAll(() => {
  for (const r of opened) r.close();
  for (const a of [GUESSER, NEIGHBOUR, SPOOFED]) sipGuardUnban(guard, a);
});

describe('SIP guard', () => {
  it('runs beside the test PBX', () => {
    expect(params.sipGuard, 'the test profile has the guard on').toBeDefined();
    expect(isSipGuardRunning(guard)).toBe(true);
  });

  it('blocks an address after repeated wrong passwords, leaves others alone, and lets it back when lifted', async () => {
    const guesser = await ua(GUESSER);
    expect(await guesser.attempt(RIGHT), 'not blocked before it guessed').toBe(200);
    await guesser.attempt(RIGHT, 0);
    for (let i = 0; i < guard.sipGuard.maxFailures; i++) expect(await guesser.attempt(`wrong-${i}`)).toBe(401);
    await waitFor('the guesser banned', async () => (sipGuardBanned(guard).includes(GUESSER) ? true : undefined), 15_000);
    // fail2ban lists a ban just before its nftables action has run (the table is made on the first
    // ban): the block is in force within moments. Each try unregisters at once if it still gets in.
    await waitFor('the right password from the blocked address gets no answer', async () => ((await guesser.attempt(RIGHT, 0)) === 0 ? true : undefined), 10_000);

    const neighbour = await ua(NEIGHBOUR);
    expect(await neighbour.attempt(RIGHT), 'another address still registers').toBe(200);
    await neighbour.attempt(RIGHT, 0);

    sipGuardUnban(guard, GUESSER);
    expect(await guesser.attempt(RIGHT), 'served again once the ban is lifted').toBe(200);
    await guesser.attempt(RIGHT, 0);
  }, 60_000);

  it('never bans the carrier, while the same failures from another address are banned', async () => {
    const log = join(params.runDir, 'log/security.log');
    for (let i = 0; i < guard.sipGuard.maxFailures * 3; i++) appendFileSync(log, securityLine(params.carrierAddress) + securityLine(SPOOFED));
    await waitFor('the control address banned', async () => (sipGuardBanned(guard).includes(SPOOFED) ? true : undefined), 15_000);
    await sleep(1500); // one more polling turn of the log
    expect(sipGuardBanned(guard)).not.toContain(params.carrierAddress);
  }, 30_000);
});
