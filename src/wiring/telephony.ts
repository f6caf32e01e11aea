import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { AriTelephony } from '../adapters/ari/ari-telephony.ts';
import { ClusterTelephony } from '../adapters/ari/cluster-telephony.ts';
import { KamailioPresence } from '../adapters/kamailio/kamailio-presence.ts';
import { RedisLease } from '../adapters/redis/redis-lease.ts';
import { ariNodes, type Settings } from '../config/settings.ts';
import type { Logger } from '../logger.ts';

/**
 * The PBX side of the service: one Asterisk (ARI_URL, the default), or several nodes behind a SIP
 * edge (ARI_NODES, the cluster profile), where presence comes from Kamailio and a Redis lease
 * decides which service instance drives the nodes.
 */
export function createTelephony(settings: Settings, log: Logger): AriTelephony | ClusterTelephony {
  const conn = (url: string) => ({ url, user: settings.ARI_USER, password: settings.ARI_PASSWORD });
  if (!settings.ARI_NODES) return new AriTelephony(conn(settings.ARI_URL), settings.ARI_APP, log.child({ component: 'ari' }), settings.PHONES_VIA);
  const nodes = ariNodes(settings).map(([id, url]) => ({
    id, telephony: new AriTelephony(conn(url), settings.ARI_APP, log.child({ component: 'ari', node: id }), settings.PHONES_VIA),
  }));
  const log2 = log.child({ component: 'cluster' });
  let cluster: ClusterTelephony | null = null;
  const presence = settings.KAMAILIO_RPC_URL
    ? new KamailioPresence(settings.KAMAILIO_RPC_URL, (e) => cluster?.emitPresence(e), log.child({ component: 'presence' }))
    : null;
  cluster = new ClusterTelephony(nodes, presence, log2);
  return cluster;
}

/** Cluster only: waits until this instance holds the lease on the nodes, and keeps it; null otherwise. */
export async function takeClusterLease(settings: Settings, redis: Redis, log: Logger): Promise<RedisLease | null> {
  if (!settings.ARI_NODES) return null;
  const lease = new RedisLease(redis, `${settings.REDIS_PREFIX}:pbx-lease`, `${hostname()}:${process.pid}:${randomUUID()}`, settings.CLUSTER_LEASE_MS, log.child({ component: 'lease' }));
  await lease.acquire();
  // Lost: another instance may act on the calls now; stopping at once is the only safe move.
  lease.keep(() => process.exit(1));
  return lease;
}
