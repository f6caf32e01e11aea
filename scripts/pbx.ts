/**
 * Starts, stops or describes the project's Asterisk for a profile.
 *   node --import tsx scripts/pbx.ts start|stop|env|rx <demo|test> [command]
 */
import { resolve } from 'node:path';
import { asteriskRx, startAsterisk, stopAsterisk } from '../src/adapters/asterisk/asterisk-process.ts';
import { pbxForProfile, serviceEnvForProfile } from '../src/adapters/asterisk/pbx-profile.ts';

const [action, profileArg, ...rest] = process.argv.slice(2);
const profile = profileArg === 'test' ? 'test' : profileArg === 'demo' ? 'demo' : null;
if (!action || !profile) {
  console.error('usage: pbx.ts start|stop|env|rx demo|test [cli command]');
  process.exit(2);
}
const projectDir = resolve(import.meta.dirname, '..');
const { params } = pbxForProfile(projectDir, profile);

switch (action) {
  case 'start': {
    const pid = await startAsterisk(projectDir, params);
    console.log(`Asterisk running (pid ${pid}), ARI on http://127.0.0.1:${params.httpPort}, SIP on port ${params.sipPort}`);
    break;
  }
  case 'stop':
    await stopAsterisk(params);
    break;
  case 'env':
    for (const [k, v] of Object.entries(serviceEnvForProfile(projectDir, profile))) console.log(`export ${k}=${JSON.stringify(v)}`);
    break;
  case 'rx':
    process.stdout.write(asteriskRx(params, rest.join(' ')));
    break;
  default:
    console.error(`unknown action ${action}`);
    process.exit(2);
}
