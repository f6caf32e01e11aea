import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awaitExitOrKill, livePid } from '../process/pid-file.ts';
import { renderKamailioConfig, type KamailioParams } from './render-kamailio.ts';

/** Starts and stops the cluster's Kamailio out of a run directory the project owns. */

export function prepareKamailio(projectDir: string, p: KamailioParams): string {
  mkdirSync(p.runDir, { recursive: true });
  for (const [name, content] of Object.entries(renderKamailioConfig(projectDir, p))) {
    writeFileSync(join(p.runDir, name), content, { mode: 0o600 });
  }
  return join(p.runDir, 'kamailio.cfg');
}

/** `kamailio -c`: the config's syntax, modules and routes, without starting it. */
export function checkKamailioConfig(cfg: string): { ok: boolean; output: string } {
  const r = spawnSync('kamailio', ['-c', '-f', cfg], { encoding: 'utf8', timeout: 20_000 });
  return { ok: r.status === 0, output: (r.stdout ?? '') + (r.stderr ?? '') };
}

const pidFile = (p: Pick<KamailioParams, 'runDir'>) => join(p.runDir, 'kamailio.pid');

export function kamailioPid(p: Pick<KamailioParams, 'runDir'>): number | null {
  return livePid(pidFile(p));
}

async function rpcAnswers(p: KamailioParams): Promise<boolean> {
  try {
    const res = await fetch(`http://${p.listenAddress}:${p.httpPort}/RPC`, {
      method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', method: 'core.version', id: 1 }), signal: AbortSignal.timeout(1000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** Starts Kamailio in the foreground of its own process group (restarted if it runs) and waits for its RPC. */
export async function startKamailio(projectDir: string, p: KamailioParams, timeoutMs = 20_000): Promise<number> {
  const cfg = prepareKamailio(projectDir, p);
  const check = checkKamailioConfig(cfg);
  if (!check.ok) throw new Error(`kamailio config rejected:\n${check.output.slice(-2000)}`);
  await stopKamailio(p);
  const out = openSync(join(p.runDir, 'kamailio.log'), 'a');
  const child = spawn('kamailio', ['-f', cfg, '-DD', '-E'], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const pid = child.pid ?? 0;
  writeFileSync(pidFile(p), String(pid));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await rpcAnswers(p)) return pid;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Kamailio did not answer on ${p.listenAddress}:${p.httpPort} within ${timeoutMs} ms; see ${p.runDir}/kamailio.log`);
}

export async function stopKamailio(p: Pick<KamailioParams, 'runDir'>): Promise<void> {
  const pid = kamailioPid(p);
  if (!pid) return;
  process.kill(pid, 'SIGTERM');
  await awaitExitOrKill(pid, 5000);
}
