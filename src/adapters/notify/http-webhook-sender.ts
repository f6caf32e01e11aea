import type { Clock } from '../../ports/clock.ts';
import type { WebhookDelivery, WebhookSender } from '../../ports/order-delivery.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.ts';

/** POSTs the JSON body, signed, with the event id; anything but a 2xx within the timeout is a failure. */
export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly clock: Clock, private readonly timeoutMs = 10_000) {}

  async send(d: WebhookDelivery): Promise<void> {
    if (!d.secret) throw new Error(`no webhook secret for ${d.url}: set it in the secrets file or the environment`);
    const body = JSON.stringify(d.body);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const res = await fetch(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'hotline12355-webhook/1',
        [EVENT_ID_HEADER]: d.eventId,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(d.secret, timestamp, body),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    // Drain the answer so the connection is freed; its content does not matter.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status > 299) throw new Error(`webhook ${d.url} answered HTTP ${res.status}`);
  }
}
