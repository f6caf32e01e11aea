import fc from 'fast-check';
import { deref, type Schema } from './openapi-operations.ts';

/** Values for a JSON schema of the document: ones that fit it (to get past validation) and ones that do not. */

/** Strings a validator and everything behind it must survive. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '😀🆘', '\u202e\u200b', '${jndi:x}', "'; DROP TABLE calls; --", '<script>x</script>', '__proto__', 'constructor', '../../etc/passwd'),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 100, max: 4000 }).map((n) => '😀'.repeat(n)),
);

const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 1.5, -1e308, 1e308, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER - 2, 2 ** 31, -(2 ** 31) - 1),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value (fc.jsonValue is JSON-safe: no undefined, NaN or -0 surprises). */
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** A value of another JSON type than the schema asks for (or a hostile one of the same type). */
export function badValue(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const s = deref(schema ?? {});
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  const wrongTypes: Array<fc.Arbitrary<unknown>> = [
    fc.constant(null), fc.boolean(), nastyNumber, nastyString, fc.array(anyJson, { maxLength: 4 }), fc.dictionary(nastyString, anyJson, { maxKeys: 4 }),
    nastyNumber.map(String), // a string for a number
  ];
  if (type === 'integer' || type === 'number') return fc.oneof(...wrongTypes, nastyNumber);
  if (type === 'object') return fc.oneof(...wrongTypes, fc.array(validValue(s), { minLength: 1, maxLength: 2 })); // an array for an object
  return fc.oneof(...wrongTypes);
}

/**
 * A value that fits the schema (lengths, enums, required keys), so that requests reach the
 * handlers; strings are often one of `ids` (ids that exist), so that lookups succeed.
 */
export function validValue(schema: Schema | undefined, ids: string[] = [], depth = 0): fc.Arbitrary<unknown> {
  const s = deref(schema ?? {});
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.oneOf?.length) return fc.oneof(...s.oneOf.map((o) => validValue(o, ids, depth + 1)));
  if (s.allOf?.length) {
    return fc.tuple(...s.allOf.map((o) => validValue(o, ids, depth + 1))).map((parts) => Object.assign({}, ...parts.filter((p) => p && typeof p === 'object')));
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      const any = fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 24, 24) });
      return ids.length ? fc.oneof(any, fc.constantFrom(...ids)) : any;
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(validValue(s.items, ids, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, 3) });
    case 'object': {
      if (depth > 3) return fc.constant({});
      const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, validValue(v, ids, depth + 1)]));
      return fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return anyJson;
  }
}

/**
 * A body that breaks the schema one way: a required field missing, an unknown field added, one
 * field of the wrong type, or the whole body of another type.
 */
export function badBody(schema: Schema, ids: string[] = []): fc.Arbitrary<unknown> {
  const s = deref(schema);
  const valid = validValue(s, ids) as fc.Arbitrary<Record<string, unknown>>;
  const keys = Object.keys(s.properties ?? {});
  const required = s.required ?? [];
  const variants: Array<fc.Arbitrary<unknown>> = [
    badValue(s),
    fc.tuple(valid, nastyString, anyJson).map(([v, k, x]) => ({ ...v, [k || 'extra']: x })),
  ];
  if (required.length) variants.push(fc.tuple(valid, fc.constantFrom(...required)).map(([v, k]) => Object.fromEntries(Object.entries(v).filter(([key]) => key !== k))));
  if (keys.length) {
    variants.push(fc.tuple(valid, fc.constantFrom(...keys)).chain(([v, k]) => badValue(s.properties?.[k]).map((x) => ({ ...v, [k]: x }))));
  }
  return fc.oneof(...variants);
}
