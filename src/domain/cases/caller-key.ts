import { createHmac } from 'node:crypto';

/**
 * Repeat callers are linked by a keyed hash of their number, never by the number: HMAC-SHA256
 * with a secret from the environment or secrets file. Without the secret the hash cannot be
 * reversed by hashing all 11-digit numbers, which a plain hash could.
 */

export const MIN_CALLER_KEY_SECRET_LENGTH = 32;

export class CallerKeySecretError extends Error {
  readonly code = 'caller-key-secret-too-short';
  constructor() {
    super(`the caller-key secret must be at least ${MIN_CALLER_KEY_SECRET_LENGTH} characters`);
  }
}

/**
 * The number in one form, so that +86 138…, 0086138… and 138… link: digits only, the country
 * code dropped. Returns '' for a withheld or empty number.
 */
export function normaliseCallerNumber(number: string): string {
  let digits = number.replace(/\D/g, '');
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  return digits;
}

/** The caller's key (hex), or null when the number is withheld (no link is better than a wrong one). */
export function callerKey(number: string, secret: string): string | null {
  if (secret.length < MIN_CALLER_KEY_SECRET_LENGTH) throw new CallerKeySecretError();
  const normalised = normaliseCallerNumber(number);
  if (normalised === '') return null;
  return createHmac('sha256', secret).update(normalised, 'utf8').digest('hex');
}
