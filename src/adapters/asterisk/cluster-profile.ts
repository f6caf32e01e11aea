import { resolve } from 'node:path';
import { loadHotlineConfig } from '../../config/hotline-config.ts';
import { profilePorts, profileRedisUrl, testSlot } from '../../config/profiles.ts';
import type { ClusterNode, KamailioParams } from '../kamailio/render-kamailio.ts';
import { EDGE_ADDRESS, pbxForProfile, publicHost } from './pbx-profile.ts';
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
  /** Kamailio: plain SIP, HTTP (JSON-RPC and ws://), SIP over TLS and WSS, all on one address. */
  edge: { address: string; sipPort: number; httpPort: number; sipTlsPort: number; wssPort: number };
  nodes: Array<ClusterNode & { httpPort: number; amiPort: number; rtpStart: number; rtpEnd: number }>;
  /** HTTP ports of the two service instances. */
  servicePorts: [number, number];
  carrierAddress: string;
  database: string;
}

export const CLUSTER_NODE_COUNT = 3;
export { EDGE_ADDRESS };

export function clusterLayout(profile: 'demo' | 'test', slot = profile === 'test' ? testSlot() : 0, nodeCount = CLUSTER_NODE_COUNT): ClusterLayout {
  const p = profilePorts(profile, slot);
  // RTP of its own, beside the single-node Asterisk of the same profile and slot (both may run at once).
  const rtpStart = profile === 'demo' ? 26_000 : 20_000 + slot * 600;
  const rtpSlice = Math.floor(600 / nodeCount);
  return {
    profile, slot,
    runDir: `var/${profile}/cluster${slot ? `-${slot}` : ''}`,
    // The profile's SIP and SIP TLS ports on the edge's own address; HTTP and WSS two above Asterisk's.
    edge: { address: EDGE_ADDRESS, sipPort: p.sipPort, httpPort: p.ariHttpPort + 2, sipTlsPort: p.sipTlsPort, wssPort: p.ariHttpsPort + 2 },
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

/**
 * The edge's Kamailio: the same roster, secrets file and hotline numbers as the nodes, and TLS with
 * the profile's certificate (the operator's PBX_TLS_CERT_FILE, else the generated one); EDGE_BIND
 * adds an address its TLS and WSS listen on too.
 */
export function clusterKamailioParams(projectDir: string, layout: ClusterLayout, env: Record<string, string | undefined> = process.env): KamailioParams {
  const { params, certificate } = pbxForProfile(projectDir, layout.profile, env);
  const config = loadHotlineConfig(resolve(projectDir, env.HOTLINE_CONFIG ?? 'config/hotline.yaml'), params.soundsDir);
  return {
    runDir: resolve(projectDir, layout.runDir, 'kamailio'),
    listenAddress: layout.edge.address, sipPort: layout.edge.sipPort, httpPort: layout.edge.httpPort,
    carrierAddress: layout.carrierAddress,
    hotlineNumbers: [...new Set(Object.values(config.lines).map((l) => l.number))],
    nodes: layout.nodes, roster: params.roster, sipPasswords: params.sipPasswords,
    tls: {
      certFile: certificate.certFile, keyFile: certificate.keyFile, sipTlsPort: layout.edge.sipTlsPort, wssPort: layout.edge.wssPort,
      ...(env.EDGE_BIND ? { extraBind: env.EDGE_BIND } : {}),
    },
  };
}

/** The console's softphone URL at the edge: wss:// under `host` for HTTPS pages, else plain ws:// on the edge's address. */
export function clusterSipWsUrl(layout: ClusterLayout, secure: { host: string } | null): string {
  return secure ? `wss://${secure.host}:${layout.edge.wssPort}/ws` : `ws://${layout.edge.address}:${layout.edge.httpPort}/ws`;
}

/**
 * The pages and the console's softphone of a cluster instance: the demo serves HTTPS and its
 * consoles use WSS at the edge (under HOTLINE_PUBLIC_HOST, else the edge's address, both in the
 * certificate), as the single-node demo does; the test profile stays plain (ws://), and the TLS
 * tests set these themselves.
 */
export function clusterConsoleEnv(layout: ClusterLayout, certificate: { certFile: string; keyFile: string }, env: Record<string, string | undefined>): Record<string, string> {
  if (layout.profile !== 'demo') return { SIP_WS_URL: clusterSipWsUrl(layout, null) };
  return {
    HTTP_TLS_CERT_FILE: certificate.certFile, HTTP_TLS_KEY_FILE: certificate.keyFile,
    SIP_WS_URL: clusterSipWsUrl(layout, { host: env.HOTLINE_PUBLIC_HOST ? publicHost(env) : layout.edge.address }),
  };
}

/** The environment of a service instance in the cluster (both instances share Redis and PostgreSQL). */
export function clusterServiceEnv(projectDir: string, layout: ClusterLayout, instance: 0 | 1, env: Record<string, string | undefined> = process.env): Record<string, string> {
  const { params, secretsFile, rosterFile, certificate } = pbxForProfile(projectDir, layout.profile, env);
  const first = layout.nodes[0]!;
  const edgeHttp = `${layout.edge.address}:${layout.edge.httpPort}`;
  return {
    ...clusterConsoleEnv(layout, certificate, env),
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
    REDIS_URL: profileRedisUrl(env),
    REDIS_PREFIX: `hotline-${layout.profile}-cluster${layout.slot ? `-${layout.slot}` : ''}`,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${layout.database}`,
    HTTP_PORT: String(layout.servicePorts[instance]),
  };
}
