/**
 * CPU profiling for the benchmark's service, loaded with
 * `node --import tsx --import ./bench/cpu-profile-preload.ts src/main.ts` when BENCH_CPU_PROFILE_DIR
 * is set (bench/bench-service.ts does this): the first SIGUSR2 starts V8's sampling profiler, the
 * second stops it and writes `<dir>/<label>-<pid>.cpuprofile` (Chrome DevTools format; sum it with
 * bench/cpu-profile-top.ts). Startup is left out: bench-service sends the first signal once the
 * service is ready, the second before it stops the service. The service's code is unchanged.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((res, rej) => session.post(method, params, (err, r) => (err ? rej(err) : res(r))));
  let running = false;
  // PostgreSQL statements sent while profiling, by text (the service's own `pg`, from its checkout).
  const queries = new Map<string, number>();
  const pg = createRequire(join(process.cwd(), 'package.json'))('pg') as { Client: { prototype: { query: (...a: unknown[]) => unknown } } };
  const realQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: unknown, ...a: unknown[]) {
    if (running) {
      const q = a[0] as string | { text?: string };
      const text = (typeof q === 'string' ? q : (q?.text ?? '?')).replace(/\s+/g, ' ').slice(0, 90);
      queries.set(text, (queries.get(text) ?? 0) + 1);
    }
    return realQuery.apply(this, a);
  };
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      void post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_CPU_PROFILE_INTERVAL_US ?? 250) }))
        .then(() => post('Profiler.start'));
      return;
    }
    running = false;
    void post('Profiler.stop').then((r) => {
      const label = process.env.BENCH_CPU_PROFILE_LABEL ?? 'service';
      writeFileSync(join(dir, `${label}-${process.pid}.cpuprofile`), JSON.stringify((r as { profile: unknown }).profile));
      writeFileSync(join(dir, `${label}-${process.pid}.queries.json`), JSON.stringify(Object.fromEntries([...queries].sort((x, y) => y[1] - x[1])), null, 1));
      process.stderr.write(`[cpu-profile] written\n`);
    });
  });
}
