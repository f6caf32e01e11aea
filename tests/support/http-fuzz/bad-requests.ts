import fc from 'fast-check';
import type { Role } from '../../../src/ports/auth.ts';
import type { Operation, Parameter } from './openapi-operations.ts';
import { badBody, badValue, nastyString, validValue } from './schema-values.ts';

/** Requests for one operation of the document: each with odd credentials, path, query or body. */

/** The JSON body parser's limit (createHttpApp: express.json({ limit: '32kb' })). */
export const BODY_LIMIT = 32 * 1024;

export type Credential = 'none' | 'garbage' | Role;

/** What was wrong with a request's body (or right: some must get past validation), for the tallies. */
export type BodyKind = 'none' | 'fits the schema' | 'wrongly typed or shaped' | 'malformed JSON' | 'prototype keys'
  | 'wrong content type' | 'unsupported charset or encoding' | 'oversized';

export interface FuzzRequest {
  method: string;
  /** Raw request target: path and query as sent on the request line. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  credential: Credential;
  /** How a role's session token is sent; the token itself is added when sending (sessions end: see FuzzTarget.renew). */
  via?: 'bearer' | 'cookie';
  /** What the JSON body parser must answer before any route runs; null when it passes the body on or ignores it. */
  parserStatus: 400 | 413 | 415 | null;
  bodyKind: BodyKind;
  /** Some path parameter is not an id (odd characters, encodings, dot segments, very long). */
  oddPath: boolean;
}

export interface FuzzTarget {
  /** Session tokens of a counsellor, a supervisor and an admin. */
  tokens: Record<Role, string>;
  /** Signs `role` in again (after a fuzzed logout ended its session). */
  renew(role: Role): Promise<void>;
  /** Ids that exist (counsellors, staff), so that some requests get past the lookups. */
  knownIds: string[];
}

/**
 * Node refuses request heads over 16 kB itself (431, before express): long segments, query values
 * and tokens stay below that together.
 */
const MAX_SEGMENT = 4000;

/** Valid UTF-8 (a lone surrogate would make encodeURIComponent throw). */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
/** Header values node will send: printable ASCII. */
const headerText = (max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });

function pathSegment(knownIds: string[]): fc.Arbitrary<{ text: string; odd: boolean }> {
  const odd = (text: string) => ({ text, odd: true });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...knownIds, 'unknown-id').map((id) => ({ text: encodeURIComponent(id), odd: false })) },
    { weight: 3, arbitrary: nastyString.map((s) => encodeURIComponent(wellFormed(s))).filter((e) => e.length <= MAX_SEGMENT).map(odd) },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: MAX_SEGMENT }).map((n) => odd('a'.repeat(n))) },
    {
      weight: 3,
      arbitrary: fc.constantFrom('..', '.', '%2F', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%2E%2E%2F', '%00', '%', '%zz', '%E0%A4%A', '%C0%AF',
        'a/b', '', '%252F', ';x=1', '*', '~', '%F0%9F%98%80', '%ED%A0%80', `${knownIds[0]}%2F..`, 'null', 'undefined', '0', '-1').map(odd),
    },
  );
}

function queryValue(p: Parameter): fc.Arbitrary<string[]> {
  const one = fc.oneof(
    validValue(p.schema).map((v) => encodeURIComponent(String(v))),
    badValue(p.schema).map((v) => encodeURIComponent(wellFormed(typeof v === 'string' ? v.slice(0, 200) : JSON.stringify(v).slice(0, 200)))),
    fc.constantFrom('', '-1', '0', '1e309', '99999999999999999999', '1.5', 'NaN', 'Infinity', '0x10', '%', '%zz', '2026-13-45T99:99:99Z', '2026-01-01T00:00:00Z', '2026-01-01'),
  );
  // Repeated (an array to express), or once.
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

function queryString(op: Operation): fc.Arbitrary<string> {
  const declared = op.queryParams.map((p) => fc.option(queryValue(p).map((vs) => vs.map((v) => `${p.name}=${v}`)), { nil: [], freq: 2 }));
  const extra = fc.array(fc.tuple(fc.constantFrom('x', 'a[b]', '__proto__', 'limit[]', `${op.queryParams[0]?.name ?? 'q'}[0]`), headerText(20)), { maxLength: 2 })
    .map((kv) => kv.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`));
  return fc.tuple(fc.tuple(...declared), extra).map(([d, e]) => [...d.flat(), ...e].join('&'));
}

interface BodyPart {
  headers: Record<string, string>;
  body?: Buffer;
  parserStatus: FuzzRequest['parserStatus'];
  kind: BodyKind;
}

/** How express.json treats `text` sent as application/json in UTF-8. */
function jsonVerdict(body: Buffer): FuzzRequest['parserStatus'] {
  if (body.length === 0) return null; // no body to parse
  if (body.length > BODY_LIMIT) return 413;
  const text = body.toString('utf8');
  if (!['{', '['].includes(text.trimStart().charAt(0))) return 400; // strict: objects and arrays only
  try {
    JSON.parse(text);
    return null;
  } catch {
    return 400;
  }
}

const asJson = (text: string, kind: BodyKind): BodyPart => {
  const body = Buffer.from(text, 'utf8');
  return { headers: { 'content-type': 'application/json' }, body, parserStatus: jsonVerdict(body), kind };
};

function bodyPart(op: Operation, ids: string[]): fc.Arbitrary<BodyPart> {
  // Any JSON to an operation without a body: nothing to fit, counted as wrongly shaped.
  const schemaBodies: Array<fc.Arbitrary<{ value: unknown; kind: BodyKind }>> = op.body
    ? [validValue(op.body, ids).map((value) => ({ value, kind: 'fits the schema' })), badBody(op.body, ids).map((value) => ({ value, kind: 'wrongly typed or shaped' }))]
    : [fc.jsonValue({ maxDepth: 2 }).map((value) => ({ value, kind: 'wrongly typed or shaped' }))];
  const jsonText = fc.oneof(...schemaBodies).map(({ value, kind }) => ({ text: JSON.stringify(value) ?? 'null', kind }));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<BodyPart>({ headers: {}, parserStatus: null, kind: 'none' }) },
    { weight: 8, arbitrary: jsonText.map(({ text, kind }) => asJson(text, kind)) },
    {
      weight: 2,
      arbitrary: fc.oneof(fc.constantFrom('{', '{"a":', "{'a':1}", '[1,]', '{"a":1}}', 'undefined', 'NaN', '   ', '\u0000', '{"a":"\\ud800"}', '[[[[[[[[[[[[[[[[[[[['), nastyString.map((s) => s.slice(0, 4000)))
        .map((t) => asJson(t, 'malformed JSON')),
    },
    { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"role":"admin"}}', '{"constructor":{"prototype":{"admin":true}}}').map((t) => asJson(t, 'prototype keys')) },
    // Wrong content types: the JSON parser leaves the body alone.
    {
      weight: 2,
      arbitrary: fc.tuple(jsonText, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/vnd.api+json', 'application/octet-stream'))
        .map(([{ text }, ct]): BodyPart => ({ headers: { 'content-type': ct }, body: Buffer.from(text), parserStatus: null, kind: 'wrong content type' })),
    },
    // The parser's own refusals: unsupported charset or encoding.
    {
      weight: 1,
      arbitrary: fc.tuple(jsonText, fc.constantFrom<Record<string, string>>(
        { 'content-type': 'application/json; charset=latin1' }, { 'content-type': 'application/json; charset=koi8-r' },
        { 'content-type': 'application/json', 'content-encoding': 'x-unknown' },
      )).map(([{ text }, headers]): BodyPart => ({ headers, body: Buffer.from(text), parserStatus: 415, kind: 'unsupported charset or encoding' })),
    },
    // Beyond the limit.
    {
      weight: 1,
      arbitrary: fc.tuple(fc.integer({ min: BODY_LIMIT + 1, max: 3 * BODY_LIMIT }), fc.constantFrom('a', '😀')).map(([n, ch]) => asJson(JSON.stringify({ pad: ch.repeat(n / ch.length) }), 'oversized')),
    },
  );
}

function credentialPart(op: Operation): fc.Arbitrary<{ credential: Credential; via?: 'bearer' | 'cookie'; headers: Record<string, string> }> {
  const roles: Role[] = ['counsellor', 'supervisor', 'admin', 'centre'];
  const asRole = fc.tuple(fc.constantFrom(...roles), fc.constantFrom('bearer' as const, 'cookie' as const)).map(([role, via]) => ({
    credential: role as Credential, via, headers: {},
  }));
  const garbage = fc.oneof(
    headerText(200).map((t) => ({ authorization: `Bearer ${t}` })),
    headerText(200).filter((t) => !t.includes(';')).map((t) => ({ cookie: `hotline_session=${t}` })),
    fc.constantFrom<Record<string, string>>({ cookie: 'hotline_session=%' }, { cookie: 'hotline_session=%E0%A4%A' }, { authorization: 'Basic Zm9vOmJhcg==' }, { authorization: 'Bearer' },
      { cookie: 'hotline_session' }, { cookie: ';;=;' }, { authorization: `Bearer ${'A'.repeat(4000)}` }),
  ).map((headers) => ({ credential: 'garbage' as Credential, headers }));
  return fc.oneof(
    { weight: op.roles ? 4 : 1, arbitrary: asRole },
    { weight: 1, arbitrary: fc.constant({ credential: 'none' as Credential, headers: {} }) },
    { weight: 1, arbitrary: garbage },
  );
}

/** The request's headers with its role's current session token, as bearer or cookie. */
export function withCredentials(req: FuzzRequest, target: FuzzTarget): Record<string, string> {
  if (!req.via || req.credential === 'none' || req.credential === 'garbage') return req.headers;
  const token = target.tokens[req.credential];
  return req.via === 'cookie'
    ? { ...req.headers, cookie: `theme=dark; hotline_session=${encodeURIComponent(token)}` }
    : { ...req.headers, authorization: `Bearer ${token}` };
}

/** Mostly the operation's method; sometimes another one (OPTIONS, TRACE, an undocumented one). */
function methodPart(op: Operation): fc.Arbitrary<string> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') });
}

/** Requests for `op`; each may be wrong in several ways at once. */
export function badRequests(op: Operation, target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const segments = fc.tuple(...op.pathParams.map(() => pathSegment(target.knownIds)));
  return fc.record({ method: methodPart(op), segments, query: queryString(op), body: bodyPart(op, target.knownIds), auth: credentialPart(op) }).map(({ method, segments: values, query, body, auth }) => {
    let i = 0;
    const path = op.path.replace(/\{\w+\}/g, () => values[i++]?.text ?? '');
    const headers: Record<string, string> = { ...body.headers, ...auth.headers };
    if (body.body) headers['content-length'] = String(body.body.length);
    return {
      method, path: query ? `${path}?${query}` : path, headers, credential: auth.credential, parserStatus: body.parserStatus,
      bodyKind: body.kind, oddPath: values.some((v) => v.odd),
      ...(auth.via ? { via: auth.via } : {}),
      ...(body.body ? { body: body.body } : {}),
    };
  });
}
