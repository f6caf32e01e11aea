import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HotlineError } from '../../src/errors.ts';
import { ERROR_CODES, isErrorCode, type ErrorCode } from '../../src/wire/error-codes.ts';

/** The error-code table in src/wire/error-codes.ts against the `ErrorCode` schema of docs/openapi.yaml. */

interface DocumentedCode {
  const?: string;
  'x-status'?: number;
  description?: string;
}
interface Response {
  $ref?: string;
  description?: string;
}
interface OpenApiDoc {
  paths: Record<string, Record<string, { responses?: Record<string, Response> }>>;
  components: {
    schemas: Record<string, { oneOf?: DocumentedCode[]; properties?: Record<string, { properties?: Record<string, { $ref?: string }> }> }>;
    responses: Record<string, Response>;
  };
}

const doc = parse(readFileSync(resolve(import.meta.dirname, '../../docs/openapi.yaml'), 'utf8')) as OpenApiDoc;
const documented = doc.components.schemas.ErrorCode?.oneOf ?? [];
const tableCodes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('error codes', () => {
  it('documents every code of the table, and only those', () => {
    const inDoc = documented.map((c) => c.const).sort();
    expect(inDoc.length).toBeGreaterThan(0);
    expect(inDoc).toEqual([...tableCodes].sort());
  });

  it('documents each code with the status the table gives it, and a description', () => {
    const wrong = documented
      .filter((c) => !isErrorCode(c.const) || c['x-status'] !== ERROR_CODES[c.const].status || !c.description)
      .map((c) => `${c.const}: x-status ${c['x-status']}`);
    expect(wrong).toEqual([]);
  });

  it('types the error envelope code as ErrorCode', () => {
    expect(doc.components.schemas.Error?.properties?.error?.properties?.code?.$ref).toBe('#/components/schemas/ErrorCode');
  });

  it('names, in each shared error response, a known code under the status the table gives it', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          const name = response.$ref?.match(/^#\/components\/responses\/(\w+)$/)?.[1];
          const code = name ? doc.components.responses[name]?.description?.match(/^`([a-z-]+)`/)?.[1] : undefined;
          if (code === undefined) continue;
          checked += 1;
          if (!isErrorCode(code)) wrong.push(`${method} ${path} ${status}: unknown code ${code}`);
          else if (ERROR_CODES[code].status !== Number(status)) wrong.push(`${method} ${path} ${status}: ${code} is sent with ${ERROR_CODES[code].status}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });

  it('gives every HotlineError the status of its code', () => {
    for (const code of tableCodes) expect(new HotlineError(code, 'm').httpStatus, code).toBe(ERROR_CODES[code].status);
  });
});
