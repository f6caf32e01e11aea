import { resolve } from 'node:path';
import { loadHotlineConfig } from '../../config/hotline-config.ts';
import { profilePorts, profileRedisUrl, testSlot } from '../../config/profiles.ts';
import type { ClusterNode, KamailioParams } from '../kamailio/render-kamailio.ts';
import { pbxForProfile } from './pbx-profile.ts';
import type { PbxParams } from './render-config.ts';

/**
 * The cluster profile on one machine: Kamailio and three Asterisk nodes, each on its own loopback
 * address with the profile's ports, its own run directory (spool, config, logs) and its own slice of
 * the RTP range, and two service instances. Nodes are named ast1..ast3: the name is each node's
 * Asterisk systemname, so every channel id it makes says which node it is on.
 */
export interface ClusterLayout {
  profile: 'demo' | 'test';
  slot: number;
  runDir: string;
  edge: { address: string; sipPort: number; httpPort: number };
  nodes: Array<ClusterNode & { httpPort: number; amiPort: number; rtpStart: number; rtpEnd: number }>;
  /** HTTP ports of the two service instances. */
  servicePorts: [number, number];
  carrierAddress: string;
  database: string;
}

export const CLUSTER_NODE_COUNT = 3;
export const EDGE_ADDRESS = '127.0.1.10';

export function clusterLayout(profile: 'demo' | 'test', slot = profile === 'test' ? testSlot() : 0, nodeCount = CLUSTER_NODE_COUNT): ClusterLayout {
  const p = profilePorts(profile, slot);
  // RTP of its own, beside the single-node Asterisk of the same profile and slot (both may run at once).
  const rtpStart = profile === 'demo' ? 26_000 : 20_000 + slot * 600;
  const rtpSlice = Math.floor(600 / nodeCount);
  return {
    profile, slot,
    runDir: `var/${profile}/cluster${slot ? `-${slot}` : ''}`,
    edge: { address: EDGE_ADDRESS, sipPort: p.sipPort, httpPort: p.ariHttpPort + 2 },
    nodes: Array.from({ length: nodeCount }, (_, i) => ({
      id: `ast${i + 1}`, address: `127.0.1.${i + 1}`, sipPort: p.sipPort, httpPort: p.ariHttpPort, amiPort: p.amiPort,
      rtpStart: rtpStart + i * rtpSlice, rtpEnd: rtpStart + (i + 1) * rtpSlice - 1,
    })),
    servicePorts: [p.servicePort, p.servicePort + 1],
    carrierAddress: p.carrierAddress,
    database: `${p.database}_cluster`,
  };
}

/** One node's Asterisk: the profile's PBX parameters on the node's address, ports and run directory. */
export function clusterNodeParams(projectDir: string, layout: ClusterLayout, index: number, env: Record<string, string | undefined> = process.env): PbxParams {
  const { params } = pbxForProfile(projectDir, layout.profile, env);
  const node = layout.nodes[index];
  if (!node) throw new Error(`cluster: no node ${index}`);
  const { tls: _tls, ...base } = params;
  return {
    ...base,
    runDir: resolve(projectDir, layout.runDir, node.id),
    httpBind: node.address, httpPort: node.httpPort,
    sipBind: node.address, sipPort: node.sipPort,
    amiBind: node.address, amiPort: node.amiPort,
    rtpStart: node.rtpStart, rtpEnd: node.rtpEnd,
    cluster: { systemName: node.id, edge: { address: layout.edge.address, sipPort: layout.edge.sipPort } },
  };
}

/** The edge's Kamailio: the same roster, secrets file and hotline numbers as the nodes. */
export function clusterKamailioParams(projectDir: string, layout: ClusterLayout, env: Record<string, string | undefined> = process.env): KamailioParams {
  const { params } = pbxForProfile(projectDir, layout.profile, env);
  const config = loadHotlineConfig(resolve(projectDir, env.HOTLINE_CONFIG ?? 'config/hotline.yaml'), params.soundsDir);
  return {
    runDir: resolve(projectDir, layout.runDir, 'kamailio'),
    listenAddress: layout.edge.address, sipPort: layout.edge.sipPort, httpPort: layout.edge.httpPort,
    carrierAddress: layout.carrierAddress,
    hotlineNumbers: [...new Set(Object.values(config.lines).map((l) => l.number))],
    nodes: layout.nodes, roster: params.roster, sipPasswords: params.sipPasswords,
  };
}

/** The environment of a service instance in the cluster (both instances share Redis and PostgreSQL). */
export function clusterServiceEnv(projectDir: string, layout: ClusterLayout, instance: 0 | 1, env: Record<string, string | undefined> = process.env): Record<string, string> {
  const { params, secretsFile, rosterFile } = pbxForProfile(projectDir, layout.profile, env);
  const first = layout.nodes[0]!;
  const edgeHttp = `${layout.edge.address}:${layout.edge.httpPort}`;
  return {
    HOTLINE_PROFILE: layout.profile,
    HOTLINE_ROSTER: rosterFile,
    HOTLINE_SECRETS_FILE: secretsFile,
    HOTLINE_SOUNDS_DIR: params.soundsDir,
    HOTLINE_RECORDINGS_DIR: resolve(projectDir, layout.runDir, 'recordings'),
    ARI_URL: `http://${first.address}:${first.httpPort}`,
    ARI_NODES: layout.nodes.map((n) => `${n.id}=http://${n.address}:${n.httpPort}`).join(','),
    ARI_USER: params.ariUser,
    ARI_PASSWORD: params.ariPassword,
    ARI_APP: params.ariApp,
    PHONES_VIA: 'edge',
    KAMAILIO_RPC_URL: `http://${edgeHttp}/RPC`,
    SIP_WS_URL: `ws://${edgeHttp}/ws`,
    REDIS_URL: profileRedisUrl(env),
    REDIS_PREFIX: `hotline-${layout.profile}-cluster${layout.slot ? `-${layout.slot}` : ''}`,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${layout.database}`,
    HTTP_PORT: String(layout.servicePorts[instance]),
  };
}
