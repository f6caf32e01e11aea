import { ERROR_CODES, isErrorCode, type ErrorCode } from '../../../src/wire/error-codes.ts';
import type { FuzzRequest } from './bad-requests.ts';
import { routeOf, type Operation } from './openapi-operations.ts';

/** What the document promises for a request, checked against what came back. */

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
}

/**
 * What is wrong with an answer: a 5xx; an error body that is not the envelope or whose code does not
 * belong to its status (src/wire/error-codes.ts); or a status, code or content type the document
 * does not give for the operation (or for the refusal that must come first).
 */
export type ProblemKind = 'server error' | 'error envelope' | 'not documented';
export interface Problem {
  kind: ProblemKind;
  text: string;
}

const PARSER_CODES: Record<number, ErrorCode> = { 400: 'invalid-request', 413: 'payload-too-large', 415: 'unsupported-media-type' };

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/** Whether express.json reads the body: a JSON content type, and something in it. */
function isJson(req: FuzzRequest): boolean {
  const type = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  return /^application\/json\s*(;|$)/i.test(type) && (req.body?.length ?? 0) > 0;
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
}

/** The refusal that must come before any handler runs, in the order the app applies them; null if none. */
function refusalFor(ops: Operation[], req: FuzzRequest): { status: number; code: ErrorCode } | null {
  if (req.parserStatus) return { status: req.parserStatus, code: PARSER_CODES[req.parserStatus] as ErrorCode };
  if (req.method === 'OPTIONS') return { status: 404, code: 'no-such-route' }; // no route serves it, not even express's own answer
  if (/%00/i.test(req.path) || (isJson(req) && containsNul(JSON.parse(req.body?.toString('utf8') ?? '')))) {
    return { status: 400, code: 'invalid-request' }; // NUL characters, refused before any route
  }
  // Express decodes a route's parameters when its path matches, before it looks at the method.
  if (routeOf(ops, null, req.path)?.params.every(decodes) === false) return { status: 400, code: 'invalid-request' };
  const route = routeOf(ops, req.method, req.path);
  if (!route) return { status: 404, code: 'no-such-route' };
  const { roles } = route.op;
  if (roles && (req.credential === 'none' || req.credential === 'garbage')) return { status: 401, code: 'unauthenticated' };
  if (roles && !roles.includes(req.credential as never)) return { status: 403, code: 'forbidden' };
  return null;
}

/** Problems with `res` as the answer to `req` (empty when it is as documented). */
export function problemsWith(ops: Operation[], req: FuzzRequest, res: FuzzResponse): Problem[] {
  const problems: Problem[] = [];
  const add = (kind: ProblemKind, text: string) => problems.push({ kind, text });
  if (res.status >= 500) add('server error', `server error ${res.status}`);
  let body: unknown;
  if (res.contentType.includes('json')) {
    try {
      body = JSON.parse(res.text);
    } catch {
      add('error envelope', 'body is not JSON though labelled so');
    }
  }
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;

  if (res.status >= 400) {
    const e = (body as { error?: Record<string, unknown> } | undefined)?.error;
    if (!e || typeof e.message !== 'string' || (e.details !== undefined && (typeof e.details !== 'object' || e.details === null))) {
      add('error envelope', `not the error envelope: ${res.contentType} ${res.text.slice(0, 200)}`);
    } else if (!isErrorCode(code)) {
      add('error envelope', `unknown error code ${String(code)}`);
    } else if (ERROR_CODES[code].status !== res.status) {
      add('error envelope', `code ${code} is ${ERROR_CODES[code].status} in the table, sent with ${res.status}`);
    }
  }

  const refusal = refusalFor(ops, req);
  if (refusal) {
    if (res.status !== refusal.status || code !== refusal.code) add('not documented', `expected ${refusal.status} ${refusal.code}, got ${res.status} ${String(code)}`);
    return problems;
  }
  const op = routeOf(ops, req.method, req.path)?.op as Operation;
  const documented = op.responses.get(res.status);
  if (!documented) {
    add('not documented', `${res.status} ${String(code ?? '')} is not documented for ${op.key}`);
  } else if (res.status >= 400 && documented.codes.some(isErrorCode) && !documented.codes.includes(code as string)) {
    add('not documented', `${op.key} documents ${res.status} as ${documented.codes.join(', ')}, got ${String(code)}`);
  } else if (res.status < 400 && documented.contentType && !res.contentType.startsWith(documented.contentType)) {
    add('not documented', `${op.key} ${res.status}: content type ${res.contentType}, documented ${documented.contentType}`);
  }
  return problems;
}
