import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isAsteriskRunning, startAsterisk, stopAsterisk } from '../../../src/adapters/asterisk/asterisk-process.ts';
import { pbxForProfile } from '../../../src/adapters/asterisk/pbx-profile.ts';
import { testSlot } from '../../../src/config/profiles.ts';

/**
 * Global setup for running the queue e2e files on their own in a test slot above 0
 * (tests/e2e/support/queue-vitest.config.ts). Unlike global-setup.ts it touches nothing shared:
 * it does not SIGKILL the pids in var/test/e2e-children.pids (other slots' services and SIPps are
 * listed there too), does not delete every `hotline-e2e*` Redis key and does not truncate the
 * shared hotline_test database. It only (re)starts this slot's own Asterisk.
 */

const ROOT = resolve(import.meta.dirname, '../../..');

function step(what: string): void {
  console.error(`[queue e2e setup] ${what}`);
}

export default async function setup(): Promise<() => Promise<void>> {
  const slot = testSlot();
  if (slot === 0) throw new Error('queue-vitest.config.ts is for a slot of your own: set HOTLINE_TEST_SLOT=1..9 (slot 0 runs with the normal e2e project)');
  if (!existsSync(join(ROOT, 'var/sounds/hotline/cmn/queue_callback_offer.wav'))) {
    step('rendering prompts');
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/render-prompts.ts', '--out', 'var/sounds'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const { params } = pbxForProfile(ROOT, 'test');
  const pid = isAsteriskRunning(params);
  if (pid && existsSync(`/proc/${pid}/cmdline`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(params.runDir)) {
    step(`stopping slot ${slot}'s Asterisk left running (pid ${pid})`);
    await stopAsterisk(params);
  }
  const started = await startAsterisk(ROOT, params, 30_000);
  step(`slot ${slot} Asterisk running (pid ${started}), ARI on ${params.httpPort}, SIP on ${params.sipPort}`);
  return async () => {
    if (process.env.E2E_KEEP_PBX === '1') return;
    await stopAsterisk(params);
  };
}
