import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { awaitExitOrKill, livePid } from '../process/pid-file.ts';
import { renderAsteriskConfig, type PbxParams } from './render-config.ts';
import { startSipGuard, stopSipGuard } from './sip-guard.ts';

/** Starts and stops an Asterisk that runs entirely out of a run directory the project owns. */

export function asteriskBinary(prefix: string): string {
  return join(prefix, 'sbin/asterisk');
}

export function prepareRunDir(projectDir: string, p: PbxParams): void {
  for (const d of ['etc', 'lib', 'data', 'spool', 'run', 'log', 'data/agi-bin', 'spool/recording']) {
    mkdirSync(join(p.runDir, d), { recursive: true });
  }
  for (const [name, content] of Object.entries(renderAsteriskConfig(projectDir, p))) {
    writeFileSync(join(p.runDir, 'etc', name), content, { mode: 0o600 });
  }
  const sounds = join(p.runDir, 'data/sounds');
  rmSync(sounds, { force: true, recursive: false });
  symlinkSync(p.soundsDir, sounds);
  const restApi = join(p.runDir, 'data/rest-api');
  if (!existsSync(restApi)) symlinkSync(join(p.asteriskPrefix, 'var/lib/asterisk/rest-api'), restApi);
}

function conf(runDir: string): string {
  return join(runDir, 'etc/asterisk.conf');
}

export function asteriskRx(p: Pick<PbxParams, 'asteriskPrefix' | 'runDir'>, command: string): string {
  const r = spawnSync(asteriskBinary(p.asteriskPrefix), ['-C', conf(p.runDir), '-rx', command], { encoding: 'utf8', timeout: 10_000 });
  return (r.stdout ?? '') + (r.stderr ?? '');
}

export function isAsteriskRunning(p: Pick<PbxParams, 'runDir'>): number | null {
  return livePid(join(p.runDir, 'run/asterisk.pid'));
}

async function ariAnswers(p: PbxParams): Promise<boolean> {
  try {
    const host = p.httpBind === '0.0.0.0' ? '127.0.0.1' : p.httpBind;
    const res = await fetch(`http://${host}:${p.httpPort}/ari/asterisk/ping`, {
      headers: { authorization: 'Basic ' + Buffer.from(`${p.ariUser}:${p.ariPassword}`).toString('base64') },
      signal: AbortSignal.timeout(1000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/** Starts Asterisk in the background (or reloads its configuration if it runs) and waits for ARI. */
export async function startAsterisk(projectDir: string, p: PbxParams, timeoutMs = 60_000): Promise<number> {
  prepareRunDir(projectDir, p);
  let pid = isAsteriskRunning(p);
  if (pid) {
    asteriskRx(p, 'core reload');
  } else {
    const out = openSync(join(p.runDir, 'log/console.log'), 'a');
    const child = spawn(asteriskBinary(p.asteriskPrefix), ['-f', '-C', conf(p.runDir)], {
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.unref();
    pid = child.pid ?? 0;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ariAnswers(p)) {
      if (p.sipGuard) startSipGuard({ ...p, sipGuard: p.sipGuard });
      return pid;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Asterisk did not answer ARI on port ${p.httpPort} within ${timeoutMs} ms; see ${p.runDir}/log`);
}

export async function stopAsterisk(p: PbxParams): Promise<void> {
  if (p.sipGuard) stopSipGuard({ ...p, sipGuard: p.sipGuard });
  const pid = isAsteriskRunning(p);
  if (!pid) return;
  asteriskRx(p, 'core stop now');
  await awaitExitOrKill(pid, 10_000);
}
