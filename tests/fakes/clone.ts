/**
 * The real adapters store JSON (Redis) or rows (PostgreSQL): what goes in is a copy, and what
 * comes out is a new object. The memory fakes copy the same way, so a service that mutates an
 * object after saving it sees the same behaviour as in production.
 */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
