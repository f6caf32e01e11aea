import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createHttpApp } from '../../src/adapters/http/app.ts';
import { hotlineRouters, type HotlineRouterDeps } from '../../src/adapters/http/hotline-routers.ts';
import { HotlineMetrics } from '../../src/adapters/http/routes/metrics-routes.ts';
import { AuthError } from '../../src/errors.ts';
import type { Role } from '../../src/ports/auth.ts';
import { InProcessNotifier } from '../../src/ports/notifier.ts';

/**
 * docs/openapi.yaml against the routes the service really serves: the routers are built by
 * hotlineRouters (as src/app.ts builds them) with stub dependencies (handlers never run),
 * mounted with createHttpApp, and the resulting route table is compared with the document both ways.
 */

const root = resolve(import.meta.dirname, '../..');
const ROLES: Role[] = ['counsellor', 'supervisor', 'admin', 'centre'];
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Each route module, and how src/adapters/http/hotline-routers.ts mounts it. A new route file must be added here. */
const MOUNTED: Record<string, string> = {
  'analytics-routes.ts': 'analyticsRoutes(',
  'auth-routes.ts': 'authRoutes(',
  'call-routes.ts': 'callRoutes(',
  'callback-routes.ts': 'callbackRoutes(',
  'case-routes.ts': 'caseRoutes(',
  'centre-routes.ts': 'centreRoutes(',
  'counsellor-routes.ts': 'counsellorRoutes(',
  'events-routes.ts': 'eventsRoutes(',
  'follow-up-routes.ts': 'followUpRoutes(',
  'health-routes.ts': 'healthRoutes(',
  'metrics-routes.ts': 'metrics.routes()',
  'queue-routes.ts': 'queueRoutes(',
  'roster-routes.ts': 'rosterRoutes(',
  'satisfaction-routes.ts': 'satisfactionRoutes(',
  'supervision-routes.ts': 'supervisionRoutes(',
  'work-order-routes.ts': 'workOrderRoutes(',
};

// Dependencies are only used inside handlers, which these tests never call.
const stub = {} as never;

/** The routers as src/app.ts builds them (hotlineRouters), over stub dependencies. */
function buildApp() {
  const deps = {
    probes: [], metrics: new HotlineMetrics(stub, stub, new InProcessNotifier()),
    sip: { passwords: {}, wsUrl: 'ws://pbx/ws', domain: 'pbx' }, settings: { timeZone: 'Asia/Shanghai', serviceLevelSeconds: 20, wrapUpMs: 0 },
  } as Partial<HotlineRouterDeps> as HotlineRouterDeps;
  return createHttpApp({ sessions: stub, log: stub, routers: hotlineRouters(deps) });
}

interface RouteLike {
  path: string;
  methods: Record<string, boolean>;
  stack: Array<{ handle: RequestHandler }>;
}
interface LayerLike {
  route?: RouteLike;
  handle?: { stack?: LayerLike[] };
}
interface ServedRoute {
  key: string;
  handlers: RequestHandler[];
}

/** Walks the app's router and the routers mounted in it; `:param` becomes `{param}`. */
function servedRoutes(stack: LayerLike[], out: ServedRoute[] = []): ServedRoute[] {
  for (const layer of stack) {
    if (layer.route) {
      const path = layer.route.path.replace(/:(\w+)/g, '{$1}');
      for (const method of Object.keys(layer.route.methods)) {
        out.push({ key: `${method === '_all' ? 'all' : method} ${path}`, handlers: layer.route.stack.map((l) => l.handle) });
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      servedRoutes(layer.handle.stack, out);
    }
  }
  return out;
}

interface Operation {
  'x-roles'?: string[];
  security?: unknown[];
  parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
}
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { parameters?: Record<string, { name: string; in: string }> };
}

const doc = parse(readFileSync(resolve(root, 'docs/openapi.yaml'), 'utf8')) as OpenApiDoc;

function documentedOperations(): Map<string, Operation> {
  const ops = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) if (HTTP_METHODS.includes(method)) ops.set(`${method} ${path}`, op);
  }
  return ops;
}

/**
 * The roles a `requireRole` guard lets through, or null when `handler` is not such a guard
 * (it must refuse a request without a principal as `unauthenticated`).
 */
function rolesAllowedBy(handler: RequestHandler): Role[] | null {
  const call = (req: object) => {
    let passed = false;
    void handler(req as never, {} as never, () => {
      passed = true;
    });
    return passed;
  };
  try {
    call({});
    return null;
  } catch (err) {
    if (!(err instanceof AuthError) || err.code !== 'unauthenticated') return null;
  }
  return ROLES.filter((role) => {
    try {
      return call({ principal: { userId: 'u', name: 'u', role, team: 't', level: 'city' } });
    } catch (err) {
      if (err instanceof AuthError && err.code === 'forbidden') return false;
      throw err;
    }
  });
}

describe('docs/openapi.yaml', () => {
  const served = servedRoutes((buildApp() as unknown as { router: { stack: LayerLike[] } }).router.stack);
  const documented = documentedOperations();

  it('is an OpenAPI 3.1 document', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
  });

  it('covers every route module, and every route module is mounted by hotlineRouters, which src/app.ts uses', () => {
    const files = readdirSync(resolve(root, 'src/adapters/http/routes')).filter((f) => f.endsWith('.ts')).sort();
    expect(files).toEqual(Object.keys(MOUNTED).sort());
    const routersSource = readFileSync(resolve(root, 'src/adapters/http/hotline-routers.ts'), 'utf8');
    for (const [file, marker] of Object.entries(MOUNTED)) expect(routersSource, `${file} mounted in hotline-routers.ts`).toContain(marker);
    expect(readFileSync(resolve(root, 'src/app.ts'), 'utf8')).toContain('routers: hotlineRouters(');
  });

  it('documents every served route', () => {
    const undocumented = served.map((r) => r.key).filter((k) => !documented.has(k));
    expect(undocumented).toEqual([]);
  });

  it('documents only served routes', () => {
    const keys = new Set(served.map((r) => r.key));
    const unserved = [...documented.keys()].filter((k) => !keys.has(k));
    expect(unserved).toEqual([]);
  });

  it('resolves every local $ref', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.push(v);
          else walk(v);
        }
      }
    };
    walk(doc);
    const broken = refs.filter((ref) => {
      let at: unknown = doc;
      for (const part of ref.replace(/^#\//, '').split('/')) at = (at as Record<string, unknown> | undefined)?.[part];
      return !ref.startsWith('#/') || at === undefined;
    });
    expect(refs.length).toBeGreaterThan(0);
    expect([...new Set(broken)]).toEqual([]);
  });

  it('declares every path parameter', () => {
    for (const [key, op] of documented) {
      const declared = (op.parameters ?? [])
        .map((p) => (p.$ref ? doc.components.parameters?.[p.$ref.split('/').pop() as string] : p))
        .filter((p) => p?.in === 'path')
        .map((p) => p?.name)
        .sort();
      const inPath = [...key.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(declared, key).toEqual(inPath);
    }
  });

  it('gives the roles each route requires (x-roles), and marks only unguarded routes public', () => {
    const wrong: string[] = [];
    const roles = (op: Operation) => [...(op['x-roles'] ?? [])].sort().join(',') || '(none)';
    for (const route of served) {
      const op = documented.get(route.key);
      if (!op) continue; // reported above
      const guards = route.handlers.slice(0, -1).map(rolesAllowedBy).filter((r): r is Role[] => r !== null);
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if (guards.length > 0) {
        const allowed = ROLES.filter((role) => guards.every((g) => g.includes(role))).sort().join(',');
        if (roles(op) !== allowed) wrong.push(`${route.key}: x-roles ${roles(op)}, requireRole ${allowed}`);
        if (isPublic) wrong.push(`${route.key}: guarded, but documented as public`);
      } else if (isPublic) {
        if (op['x-roles']) wrong.push(`${route.key}: public, but has x-roles ${roles(op)}`);
      } else if (roles(op) !== [...ROLES].sort().join(',')) {
        // No guard, yet documented as needing a session (the handler checks it): any role.
        wrong.push(`${route.key}: no requireRole, so public (security: []) or any signed-in role; x-roles ${roles(op)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
