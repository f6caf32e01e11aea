import { request } from 'node:http';
import fc from 'fast-check';
import { badRequests, withCredentials, type FuzzRequest, type FuzzTarget } from './bad-requests.ts';
import { problemsWith, type FuzzResponse, type Problem } from './check-response.ts';
import type { Role } from '../../../src/ports/auth.ts';
import type { Operation } from './openapi-operations.ts';

/** Sends generated requests for one operation to a running service and checks every answer. */

export interface FuzzRun {
  /** Runs per operation: HTTP_FUZZ_RUNS, or the given default. */
  numRuns: number;
  /** HTTP_FUZZ_SEED, or a fixed seed, so that a failure can be replayed. */
  seed: number;
}

export function fuzzRun(defaultRuns: number): FuzzRun {
  return { numRuns: Number(process.env.HTTP_FUZZ_RUNS ?? defaultRuns), seed: Number(process.env.HTTP_FUZZ_SEED ?? 12355) };
}

/**
 * One raw HTTP/1.1 request (node:http, not fetch: fetch would normalise `..`, refuse a GET body
 * and re-encode the path). An event stream is cut once its head has arrived.
 */
export function send(base: URL, r: FuzzRequest): Promise<FuzzResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, method: r.method, path: r.path, headers: r.headers, agent: false }, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      if (contentType.startsWith('text/event-stream')) {
        res.destroy();
        resolve({ status: res.statusCode ?? 0, contentType, text: '' });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer in 10 s to ${r.method} ${r.path.slice(0, 200)}`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** A plain GET with no credentials (/healthz, /readyz). */
export const plainGet = (base: URL, path: string): Promise<FuzzResponse> =>
  send(base, { method: 'GET', path, headers: {}, credential: 'none', parserStatus: null, bodyKind: 'none', oddPath: false });

/** Told of every generated request, its answer, what is wrong with it, and what /healthz answered next. */
export type FuzzObserver = (op: Operation, req: FuzzRequest, res: FuzzResponse, problems: Problem[], healthz: number) => void;

export interface FuzzOptions {
  /** Problems are collected here instead of failing at the first (to list them all). */
  survey?: string[];
  observe?: FuzzObserver;
}

/** A short, readable form of a request for failure reports. */
export function describeRequest(r: FuzzRequest): string {
  const cut = (s: string) => (s.length > 160 ? `${s.slice(0, 160)}…(${s.length})` : s);
  const headers = Object.entries(r.headers).map(([k, v]) => `${k}: ${cut(v)}`).join('; ');
  return `${r.method} ${cut(r.path)} [${r.credential}] {${headers}} ${r.body ? cut(r.body.toString('utf8')) : '(no body)'}`;
}

/** fc.check over `op`: every answer as documented, and /healthz still answering after it. */
export async function fuzzOperation(base: URL, ops: Operation[], op: Operation, target: FuzzTarget, run: FuzzRun, { survey, observe }: FuzzOptions = {}): Promise<void> {
  const statuses = new Map<number, number>();
  const result = await fc.check(
    fc.asyncProperty(badRequests(op, target), async (generated) => {
      const req = { ...generated, headers: withCredentials(generated, target) };
      const res = await send(base, req);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (op.key === 'POST /api/auth/logout' && generated.via) await target.renew(generated.credential as Role);
      const found = problemsWith(ops, req, res);
      const health = await plainGet(base, '/healthz');
      observe?.(op, req, res, found, health.status);
      const problems = found.map((p) => p.text);
      if (health.status !== 200) problems.push(`/healthz answered ${health.status} afterwards`);
      if (problems.length && survey) {
        survey.push(...problems.map((p) => `${op.key}: ${p}  ← ${describeRequest(req).slice(0, 300)}`));
        return;
      }
      if (problems.length) throw new Error(`${describeRequest(req)}\n  → ${res.status} ${res.text.slice(0, 300)}\n  ${problems.join('\n  ')}`);
    }),
    // One seed per operation (the run's plus its place in the document): not the same pattern everywhere.
    { numRuns: run.numRuns, seed: run.seed + ops.indexOf(op), endOnFailure: process.env.HTTP_FUZZ_SHRINK !== '1' },
  );
  // HTTP_FUZZ_STATS=1: what the runs got back, to see that they reach the handlers, not only the refusals.
  if (process.env.HTTP_FUZZ_STATS) console.log(`${op.key}: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  // Our own message, not fast-check's dump of the counterexample (bodies of 90 kB).
  if (result.failed) {
    const cause = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    throw new Error(`${op.key} failed after ${result.numRuns} runs (replay: HTTP_FUZZ_SEED=${run.seed} HTTP_FUZZ_RUNS=${run.numRuns}):\n${cause}`);
  }
}
