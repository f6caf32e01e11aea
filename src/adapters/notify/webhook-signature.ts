/**
 * The signature of a webhook to a centre: HMAC-SHA256, keyed with the centre's secret, over
 * `<timestamp>.<body>`. Signing the timestamp with the body stops a captured request from being
 * replayed later with a fresh timestamp; the receiver refuses timestamps too far from its clock
 * and de-duplicates on the event id (a retried delivery repeats it).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const EVENT_ID_HEADER = 'x-hotline-event-id';
export const TIMESTAMP_HEADER = 'x-hotline-timestamp';
export const SIGNATURE_HEADER = 'x-hotline-signature';
/** How far a receiver should accept a timestamp from its own clock. */
export const DEFAULT_TOLERANCE_SEC = 300;

/** `sha256=<hex>` of `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestampSec: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

export type WebhookCheck = { ok: true } | { ok: false; reason: 'missing-headers' | 'stale-timestamp' | 'bad-signature' };

/** What a receiver does (and what tests and the README example use). */
export function verifyWebhook(
  secret: string, headers: { timestamp?: string | null; signature?: string | null }, body: string, nowSec: number, toleranceSec = DEFAULT_TOLERANCE_SEC,
): WebhookCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing-headers' };
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) return { ok: false, reason: 'stale-timestamp' };
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'bad-signature' };
}
