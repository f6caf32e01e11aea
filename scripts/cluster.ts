/**
 * Starts, stops or describes the cluster profile's Kamailio and Asterisk nodes.
 *   node --import tsx scripts/cluster.ts start|stop|env <demo|test> [instance 0|1]
 */
import { resolve } from 'node:path';
import { startAsterisk, stopAsterisk } from '../src/adapters/asterisk/asterisk-process.ts';
import { clusterKamailioParams, clusterLayout, clusterNodeParams, clusterServiceEnv } from '../src/adapters/asterisk/cluster-profile.ts';
import { startKamailio, stopKamailio } from '../src/adapters/kamailio/kamailio-process.ts';

const [action, profileArg, instanceArg] = process.argv.slice(2);
const profile = profileArg === 'test' ? 'test' : profileArg === 'demo' ? 'demo' : null;
if (!action || !profile) {
  console.error('usage: cluster.ts start|stop|env demo|test [instance]');
  process.exit(2);
}
const projectDir = resolve(import.meta.dirname, '..');
const layout = clusterLayout(profile);

switch (action) {
  case 'start': {
    await Promise.all(layout.nodes.map(async (n, i) => {
      const pid = await startAsterisk(projectDir, clusterNodeParams(projectDir, layout, i));
      console.log(`${n.id}: Asterisk (pid ${pid}) SIP ${n.address}:${n.sipPort}, ARI http://${n.address}:${n.httpPort}`);
    }));
    const pid = await startKamailio(projectDir, clusterKamailioParams(projectDir, layout));
    const e = layout.edge;
    console.log(`edge: Kamailio (pid ${pid}) SIP ${e.address}:${e.sipPort}, SIP TLS :${e.sipTlsPort}, RPC/WS :${e.httpPort}, WSS :${e.wssPort}`);
    break;
  }
  case 'stop':
    await stopKamailio(clusterKamailioParams(projectDir, layout));
    await Promise.all(layout.nodes.map((_n, i) => stopAsterisk(clusterNodeParams(projectDir, layout, i))));
    break;
  case 'env':
    for (const [k, v] of Object.entries(clusterServiceEnv(projectDir, layout, instanceArg === '1' ? 1 : 0))) console.log(`export ${k}=${JSON.stringify(v)}`);
    break;
  default:
    console.error(`unknown action ${action}`);
    process.exit(2);
}
