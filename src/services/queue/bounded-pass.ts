/**
 * Runs `task` for each item with at most `limit` running at once, starting them in the items'
 * order: with a limit of one it is a plain loop. Resolves once every started task has ended.
 * After a task fails no further item is started; the ones already running are waited for, and
 * then the first failure is thrown, so that nothing is left running behind the caller's back.
 */
export async function runBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  let next = 0;
  let failure: { err: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  // Each lane takes the next item as soon as its own task ends; lane i starts item i at once.
  await Promise.all(Array.from({ length: width }, lane));
  if (failure !== null) throw (failure as { err: unknown }).err;
}
