import { isAsteriskRunning, startAsterisk, stopAsterisk } from '../../src/adapters/asterisk/asterisk-process.ts';
import { clusterKamailioParams, clusterNodeParams, type ClusterLayout } from '../../src/adapters/asterisk/cluster-profile.ts';
import { kamailioPid, startKamailio, stopKamailio } from '../../src/adapters/kamailio/kamailio-process.ts';

/**
 * The cluster profile's processes as the e2e tests and the cluster benchmark drive them: start what
 * is not running, stop all, Kamailio's JSON-RPC (the dispatcher set), a node's ARI, and SIGKILL of
 * a node. Kamailio takes the hotline numbers from HOTLINE_CONFIG when it starts.
 */

/** A dispatcher destination as `dispatcher.list` reports it; FLAGS starts with A (active), I (inactive) or D (disabled). */
export interface DispatcherTarget { uri: string; flags: string }

export interface ClusterControl {
  /** Starts whatever is not running and waits until every node in the dispatcher set answers its probes. */
  ensure(): Promise<void>;
  stop(): Promise<void>;
  rpc<T>(method: string, params?: unknown[]): Promise<T>;
  dispatcher(): Promise<DispatcherTarget[]>;
  /** A node's destination in the dispatcher set (sip:address:port). */
  nodeUri(index: number): string;
  /** Takes nodes out of Kamailio's dispatcher set (disabled: neither probed nor chosen) or puts them back. */
  useNodes(indexes: number[]): Promise<void>;
  nodeAri<T>(index: number, method: string, path: string): Promise<T>;
  /** SIGKILL of a node's Asterisk (the fault: no clean shutdown, no BYEs): its pid and the time of the kill (epoch ms). */
  killNode(index: number): { pid: number; at: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function clusterControl(projectDir: string, layout: ClusterLayout): ClusterControl {
  const uriOf = (i: number) => `sip:${layout.nodes[i]!.address}:${layout.nodes[i]!.sipPort}`;
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> => {
    const res = await fetch(`http://${layout.edge.address}:${layout.edge.httpPort}/RPC`, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }) });
    return ((await res.json()) as { result: T }).result;
  };
  const dispatcher = async (): Promise<DispatcherTarget[]> => {
    const list = await rpc<{ RECORDS: Array<{ SET: { TARGETS: Array<{ DEST: { URI: string; FLAGS: string } }> } }> }>('dispatcher.list');
    return list.RECORDS.flatMap((r) => r.SET.TARGETS.map((t) => ({ uri: t.DEST.URI, flags: t.DEST.FLAGS })));
  };
  /** Waits until exactly the nodes in `indexes` are active (a restarted node answers a probe first). */
  const awaitActive = async (indexes: number[], timeoutMs = 15_000) => {
    const want = new Set(indexes.map(uriOf));
    const until = Date.now() + timeoutMs;
    for (;;) {
      const targets = await dispatcher();
      if (targets.length === layout.nodes.length && targets.every((t) => t.flags.startsWith('A') === want.has(t.uri))) return;
      if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for nodes ${indexes.join(',')} active: ${JSON.stringify(targets)}`);
      await sleep(100);
    }
  };
  const all = layout.nodes.map((_n, i) => i);
  return {
    async ensure() {
      await Promise.all(all.map(async (i) => {
        const p = clusterNodeParams(projectDir, layout, i);
        if (!isAsteriskRunning(p)) await startAsterisk(projectDir, p);
      }));
      const k = clusterKamailioParams(projectDir, layout);
      if (!kamailioPid(k)) await startKamailio(projectDir, k);
      await awaitActive(all);
    },
    async stop() {
      await stopKamailio(clusterKamailioParams(projectDir, layout));
      await Promise.all(all.map((i) => stopAsterisk(clusterNodeParams(projectDir, layout, i))));
    },
    rpc,
    dispatcher,
    nodeUri: uriOf,
    async useNodes(indexes) {
      // "a": active and, with probing mode 1, probed again; "d": disabled, left alone by the probes.
      for (const i of all) await rpc('dispatcher.set_state', [indexes.includes(i) ? 'a' : 'd', 1, uriOf(i)]);
      await awaitActive(indexes);
    },
    async nodeAri<T>(index: number, method: string, path: string): Promise<T> {
      const p = clusterNodeParams(projectDir, layout, index);
      const n = layout.nodes[index]!;
      const res = await fetch(`http://${n.address}:${n.httpPort}/ari${path}`, {
        method, headers: { authorization: 'Basic ' + Buffer.from(`${p.ariUser}:${p.ariPassword}`).toString('base64') }, signal: AbortSignal.timeout(3000),
      });
      const text = await res.text();
      return (text ? JSON.parse(text) : null) as T;
    },
    killNode(index) {
      const pid = isAsteriskRunning(clusterNodeParams(projectDir, layout, index));
      if (!pid) throw new Error(`node ${index} is not running`);
      // The time is taken after the pid is read (that reads the profile's files), right before kill(2).
      const at = Date.now();
      process.kill(pid, 'SIGKILL');
      return { pid, at };
    },
  };
}
