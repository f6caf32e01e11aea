import { existsSync, readFileSync } from 'node:fs';

/** The pid in `file` if that process is alive, else null (no file, or a stale one). */
export function livePid(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** Waits up to `graceMs` for `pid` to exit (after it was asked to), then kills it. */
export async function awaitExitOrKill(pid: number, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone just now
  }
}
