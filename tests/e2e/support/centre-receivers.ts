/**
 * A centre's side of the delivery, real: an HTTP server that receives webhooks (checks their
 * signature, de-duplicates by event id as a receiver must) and an SMTP server (smtp-server) that
 * accepts e-mail. Either can hold a delivery open so a test can kill the sender in the middle.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../../../src/adapters/notify/webhook-signature.ts';

export interface ReceivedWebhook {
  eventId: string;
  body: Record<string, unknown>;
  signatureOk: boolean;
}

type Hold = { until: Promise<void>; arrived: () => void } | null;

function holdOnce(): { hold: NonNullable<Hold>; release: () => void; arrived: Promise<void> } {
  let release = () => undefined as void;
  let arrived = () => undefined as void;
  const until = new Promise<void>((r) => (release = r));
  const arrivedP = new Promise<void>((r) => (arrived = r));
  return { hold: { until, arrived }, release, arrived: arrivedP };
}

export class WebhookReceiver {
  /** Every request, repeats included. */
  readonly raw: ReceivedWebhook[] = [];
  private server: Server | null = null;
  private hold: Hold = null;

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/hooks/12355`;
  }

  /** What the centre keeps: one per event id. */
  unique(): ReceivedWebhook[] {
    const seen = new Map<string, ReceivedWebhook>();
    for (const w of this.raw) if (w.signatureOk && !seen.has(w.eventId)) seen.set(w.eventId, w);
    return [...seen.values()];
  }

  /** The next request is received in full but not answered until `release`. */
  holdNext(): { release: () => void; arrived: Promise<void> } {
    const h = holdOnce();
    this.hold = h.hold;
    return { release: h.release, arrived: h.arrived };
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.onRequest(req).then((status) => {
      res.writeHead(status).end();
    }, () => res.writeHead(500).end()));
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
  }

  private async onRequest(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => (req.headers[name] as string | undefined) ?? null;
    const check = verifyWebhook(this.secret, { timestamp: header(TIMESTAMP_HEADER), signature: header(SIGNATURE_HEADER) }, body, Math.floor(Date.now() / 1000));
    this.raw.push({ eventId: header(EVENT_ID_HEADER) ?? '', body: JSON.parse(body) as Record<string, unknown>, signatureOk: check.ok });
    const hold = this.hold;
    if (hold) {
      this.hold = null;
      hold.arrived();
      await hold.until;
    }
    return check.ok ? 204 : 401;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export interface ReceivedMail {
  messageId: string;
  eventId: string;
  to: string[];
  subject: string;
}

export class SmtpReceiver {
  /** Messages the server answered 250 to while the client was still there. */
  readonly accepted: ReceivedMail[] = [];
  /** Messages received in full whose client went away before the answer: not accepted (RFC 5321). */
  readonly abandoned: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  private hold: Hold = null;
  private readonly closed = new Set<string>();
  port = 0;

  holdNext(): { release: () => void; arrived: Promise<void> } {
    const h = holdOnce();
    this.hold = h.hold;
    return { release: h.release, arrived: h.arrived };
  }

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onClose: (session) => void this.closed.add(session.id),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', () => undefined);
        stream.on('end', () => void (async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const head = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'mi').exec(raw)?.[1]?.trim() ?? '';
          const mail: ReceivedMail = {
            messageId: head('Message-ID'), eventId: head('X-Hotline-Event-Id'),
            to: session.envelope.rcptTo.map((r) => r.address), subject: head('Subject'),
          };
          const hold = this.hold;
          if (hold) {
            this.hold = null;
            hold.arrived();
            await hold.until;
            await new Promise((r) => setTimeout(r, 100)); // the close event of a killed client lands first
          }
          (this.closed.has(session.id) ? this.abandoned : this.accepted).push(mail);
          callback();
        })());
      },
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  /** Accepted messages per Message-ID. */
  countsByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.accepted) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
    return counts;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
