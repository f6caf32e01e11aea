import { PbxNotFoundError, PbxOperationError, PbxUnavailableError } from '../../errors.ts';

export interface AriConnection {
  /** e.g. http://127.0.0.1:8088 */
  url: string;
  user: string;
  password: string;
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * At most this many ARI requests in flight; more wait their turn here. Asterisk's HTTP server
 * refuses connections beyond its `sessionlimit` (100 by default, shared with the event WebSocket
 * and the browser softphones), and fetch opens one more connection whenever all open ones are busy.
 */
const MAX_IN_FLIGHT = 32;

/**
 * A small typed REST client for ARI over fetch. Errors keep their HTTP status
 * (404 means "already gone", which cleanup code treats as success).
 */
export class AriRest {
  private readonly auth: string;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly conn: AriConnection, private readonly timeoutMs = 5000) {
    this.auth = 'Basic ' + Buffer.from(`${conn.user}:${conn.password}`).toString('base64');
  }

  async call<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query: Query = {}, body?: unknown): Promise<T> {
    if (this.inFlight < MAX_IN_FLIGHT) this.inFlight++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // a finishing request hands over its slot
    try {
      return await this.send<T>(method, path, query, body);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  private async send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query: Query, body?: unknown): Promise<T> {
    const url = new URL(`/ari${path}`, this.conn.url);
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: this.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new PbxUnavailableError((err as Error).message);
    }
    const text = await res.text();
    if (res.status === 404) throw new PbxNotFoundError(`${method} ${path}`);
    if (!res.ok) throw new PbxOperationError(`${method} ${path}`, res.status, text.slice(0, 200));
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
