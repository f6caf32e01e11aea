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
