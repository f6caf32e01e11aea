import type { RequestHandler } from 'express';
import { ValidationError } from '../../errors.ts';

/**
 * Refuses NUL characters (U+0000) anywhere in the path, the query or a JSON body: PostgreSQL
 * cannot store them in text or jsonb, so they would fail deep in a handler (a 500, or an audit
 * entry that cannot be written) instead of as bad input. No client has a reason to send them.
 */
export const refuseNul: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.originalUrl) || hasNul(req.body)) throw new ValidationError('NUL characters are not allowed');
  next();
};

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (!value || typeof value !== 'object' || depth > 64) return false;
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1));
}
