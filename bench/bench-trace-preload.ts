/**
 * Diagnostics for the hand-off benchmark, loaded into the service with
 * `node --import tsx --import ./bench/bench-trace-preload.ts src/main.ts` when BENCH_TRACE_FILE is
 * set: appends one line per ARI REST request (start, end, status, duration) and per ARI event
 * received (type, channel) to that file, with epoch milliseconds. The service's code is unchanged.
 */
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.BENCH_TRACE_FILE;
if (file) {
  const write = (o: Record<string, unknown>) => appendFileSync(file, `${JSON.stringify({ t: Date.now(), ...o })}\n`);
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const isAri = url.includes('/ari/');
    const what = isAri ? `${init?.method ?? 'GET'} ${new URL(url).pathname.replace('/ari', '')}` : '';
    const t0 = Date.now();
    if (isAri) write({ rest: what, phase: 'start' });
    try {
      const res = await realFetch(input, init);
      if (isAri) write({ rest: what, phase: 'end', status: res.status, ms: Date.now() - t0 });
      return res;
    } catch (err) {
      if (isAri) write({ rest: what, phase: 'error', err: String(err), ms: Date.now() - t0 });
      throw err;
    }
  };
  // `ws` is CommonJS: this is the same module instance the ARI adapter loads.
  const ws = createRequire(import.meta.url)('ws') as { prototype: { emit: (event: string, ...args: unknown[]) => boolean } };
  const emit = ws.prototype.emit;
  ws.prototype.emit = function (this: unknown, event: string, ...args: unknown[]) {
    if (event === 'message') {
      try {
        const e = JSON.parse(String(args[0])) as { type?: string; channel?: { id?: string; name?: string }; playback?: { id?: string }; endpoint?: { resource?: string; state?: string } };
        write({ event: e.type, channel: e.channel?.id, name: e.channel?.name, playback: e.playback?.id, endpoint: e.endpoint ? `${e.endpoint.resource}:${e.endpoint.state}` : undefined });
      } catch {
        write({ event: 'unparsed' });
      }
    }
    return emit.call(this, event, ...args);
  };
}
