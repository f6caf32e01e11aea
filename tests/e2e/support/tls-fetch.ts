import { readFileSync } from 'node:fs';
import { request } from 'node:https';

/**
 * fetch for a service that speaks HTTPS with the test profile's own CA: Node's fetch cannot be
 * given a CA per call, so this goes through node:https and answers a standard Response.
 */
export function fetchTrusting(caFile: string): (url: string, init?: RequestInit) => Promise<Response> {
  const ca = readFileSync(caFile);
  return (url, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((v, k) => (headers[k] = v));
      const req = request(url, { method: init.method ?? 'GET', headers, ca, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one);
          }
          resolve(new Response(chunks.length ? Buffer.concat(chunks) : null, { status: res.statusCode ?? 0, headers: out }));
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
      req.on('error', reject);
      if (typeof init.body === 'string') req.write(init.body);
      req.end();
    });
}
