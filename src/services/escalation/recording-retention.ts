import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

const DAY_MS = 24 * 3600 * 1000;

/** Deletes escalation recordings older than the retention period; returns how many were removed. */
export function pruneRecordings(dir: string, retentionDays: number, now: number, log: Logger): number {
  let removed = 0;
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return 0; // no recordings yet
  }
  for (const f of files) {
    if (!f.startsWith('escalation-')) continue;
    const path = join(dir, f);
    try {
      if (now - statSync(path).mtimeMs > retentionDays * DAY_MS) {
        unlinkSync(path);
        removed += 1;
      }
    } catch (err) {
      log.warn({ err, path }, 'could not prune a recording');
    }
  }
  if (removed > 0) log.info({ removed, retentionDays }, 'pruned escalation recordings');
  return removed;
}

/** Prunes at start and every six hours. */
export function scheduleRecordingRetention(dir: string, retentionDays: number, log: Logger): () => void {
  const run = () => pruneRecordings(dir, retentionDays, Date.now(), log);
  run();
  const t = setInterval(run, 6 * 3600 * 1000);
  t.unref();
  return () => clearInterval(t);
}
