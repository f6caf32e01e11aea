/**
 * The rebuild both kinds of durable due times share (order deadlines, follow-up attempts): given
 * the jobs the database says should exist, add the ones Redis lacks and run at once the existing
 * ones whose time the clock has passed (a missing one added late gets a zero delay and runs by
 * itself). Idempotent, as job ids are deterministic.
 */
export interface DelayedJobRebuildQueue<J extends { id: string; fireAt: string }> {
  schedule(jobs: readonly J[], now: Date): Promise<void>;
  existing(ids: readonly string[]): Promise<Set<string>>;
  promote(ids: readonly string[]): Promise<void>;
}

export async function rebuildDelayedJobs<J extends { id: string; fireAt: string }>(
  queue: DelayedJobRebuildQueue<J>, jobs: readonly J[], now: Date,
): Promise<{ added: number; promoted: number }> {
  const existing = await queue.existing(jobs.map((j) => j.id));
  const missing = jobs.filter((j) => !existing.has(j.id));
  if (missing.length > 0) await queue.schedule(missing, now);
  const due = jobs.filter((j) => existing.has(j.id) && new Date(j.fireAt).getTime() <= now.getTime()).map((j) => j.id);
  if (due.length > 0) await queue.promote(due);
  return { added: missing.length, promoted: due.length };
}
