import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { Role } from '../../../src/ports/auth.ts';

/** The operations of docs/openapi.yaml, with what a fuzzer needs to know about each. */

export type Schema = Record<string, unknown> & {
  $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema;
  enum?: unknown[]; const?: unknown; oneOf?: Schema[]; allOf?: Schema[]; minLength?: number; maxLength?: number;
  minimum?: number; maximum?: number; minItems?: number; additionalProperties?: boolean | Schema;
};

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  key: string;
  method: string;
  /** The path template, e.g. /api/calls/{callId}. */
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The JSON request body's schema, $refs resolved at the top. */
  body: Schema | null;
  /** Null when public (security: []). */
  roles: Role[] | null;
  /** Documented status → the response's content type (null: none) and the error codes its description names. */
  responses: Map<number, { contentType: string | null; codes: string[] }>;
  /** How many literal segments the template has: more literal wins, as the routers register them. */
  literalSegments: number;
  matcher: RegExp;
}

const ROOT = resolve(import.meta.dirname, '../../..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

interface Doc {
  paths: Record<string, Record<string, { security?: unknown[]; 'x-roles'?: Role[]; parameters?: Array<Parameter | { $ref: string }>;
    requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { $ref?: string; description?: string; content?: Record<string, unknown> }> }>>;
  components: Record<string, Record<string, unknown>>;
}

export const openApiDoc = parse(readFileSync(resolve(ROOT, 'docs/openapi.yaml'), 'utf8')) as Doc;

/** Follows a local $ref (#/components/...) until the node is not one. */
export function deref<T>(node: T): T {
  let at: unknown = node;
  while (at && typeof at === 'object' && typeof (at as { $ref?: unknown }).$ref === 'string') {
    let next: unknown = openApiDoc;
    for (const part of (at as { $ref: string }).$ref.replace(/^#\//, '').split('/')) next = (next as Record<string, unknown>)[part];
    at = next;
  }
  return at as T;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Express matches one non-empty segment per parameter, and ignores one trailing slash. */
function matcherOf(template: string): RegExp {
  const parts = template.split(/\{\w+\}/).map(escapeRegex);
  return new RegExp(`^${parts.join('([^/]+)')}/?$`, 'i');
}

export function operations(): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(openApiDoc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const params = (op.parameters ?? []).map((p) => deref(p) as Parameter);
      const body = op.requestBody?.content?.['application/json']?.schema;
      const responses = new Map<number, { contentType: string | null; codes: string[] }>();
      for (const [status, raw] of Object.entries(op.responses ?? {})) {
        const r = deref(raw);
        const codes = [...(r.description ?? '').matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1] as string);
        responses.set(Number(status), { contentType: Object.keys(r.content ?? {})[0] ?? null, codes });
      }
      out.push({
        key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path,
        pathParams: params.filter((p) => p.in === 'path'), queryParams: params.filter((p) => p.in === 'query'),
        body: body ? deref(body) : null,
        roles: Array.isArray(op.security) && op.security.length === 0 ? null : (op['x-roles'] ?? ['counsellor', 'supervisor', 'admin']),
        responses, literalSegments: path.split('/').filter((s) => s && !s.startsWith('{')).length, matcher: matcherOf(path),
      });
    }
  }
  return out;
}

/**
 * The operation the service routes method + raw path to (literal segments win), and its raw
 * parameter values; with method null, any route of that path.
 */
export function routeOf(ops: Operation[], method: string | null, rawPath: string): { op: Operation; params: string[] } | null {
  const pathname = rawPath.split('?')[0] ?? '';
  const hits = ops
    .filter((o) => method === null || o.method === method)
    .map((op) => ({ op, m: op.matcher.exec(pathname) }))
    .filter((h): h is { op: Operation; m: RegExpExecArray } => h.m !== null)
    .sort((a, b) => b.op.literalSegments - a.op.literalSegments);
  const hit = hits[0];
  return hit ? { op: hit.op, params: hit.m.slice(1) } : null;
}
