import nodemailer, { type Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from '../../ports/order-delivery.ts';

export interface SmtpSettings {
  /** smtp://user:pass@host:587 or smtps://…:465 (nodemailer's connection URL). */
  url: string;
  from: string;
  timeoutMs?: number;
}

/**
 * E-mail through an SMTP relay (nodemailer). The Message-ID is made from the event id, so a send
 * repeated after a crash carries the same Message-ID and mail systems and clients can tell.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  private readonly domain: string;

  constructor(private readonly settings: SmtpSettings) {
    const timeout = settings.timeoutMs ?? 20_000;
    this.transport = nodemailer.createTransport(settings.url, {
      connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
    } as Parameters<typeof nodemailer.createTransport>[1]);
    this.domain = /@([^>\s]+)>?\s*$/.exec(settings.from)?.[1] ?? 'hotline12355.invalid';
  }

  messageId(eventId: string): string {
    return `<${eventId}@${this.domain}>`;
  }

  async send(m: MailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.settings.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      messageId: this.messageId(m.eventId),
      headers: { 'X-Hotline-Event-Id': m.eventId },
    });
  }

  close(): void {
    this.transport.close();
  }
}
