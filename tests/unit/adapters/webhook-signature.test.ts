import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../../src/adapters/notify/webhook-signature.ts';

const secret = 'centre-secret-0123456789';
const body = JSON.stringify({ id: 'wo-1-abc', type: 'order.dispatched', orderId: 'wo-1' });
const ts = 1_773_108_000;

describe('webhook signature', () => {
  it('is HMAC-SHA256 of "<timestamp>.<body>" with the centre secret, hex, prefixed sha256=', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(signWebhook(secret, ts, body)).toBe(`sha256=${expected}`);
  });

  it('verifies what was signed', () => {
    expect(verifyWebhook(secret, { timestamp: String(ts), signature: signWebhook(secret, ts, body) }, body, ts + 10)).toEqual({ ok: true });
  });

  it('refuses a changed body, another secret, or a timestamp changed to replay it', () => {
    const signature = signWebhook(secret, ts, body);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature }, body.replace('wo-1', 'wo-2'), ts)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyWebhook('another-secret-0123', { timestamp: String(ts), signature }, body, ts)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyWebhook(secret, { timestamp: String(ts + 60), signature }, body, ts + 60)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a request older (or newer) than the tolerance, and one without headers', () => {
    const signature = signWebhook(secret, ts, body);
    expect(verifyWebhook(secret, { timestamp: String(ts), signature }, body, ts + 301)).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(verifyWebhook(secret, { timestamp: String(ts), signature }, body, ts - 301)).toEqual({ ok: false, reason: 'stale-timestamp' });
    expect(verifyWebhook(secret, { timestamp: null, signature }, body, ts)).toEqual({ ok: false, reason: 'missing-headers' });
    expect(verifyWebhook(secret, { timestamp: 'soon', signature }, body, ts)).toEqual({ ok: false, reason: 'missing-headers' });
  });
});
