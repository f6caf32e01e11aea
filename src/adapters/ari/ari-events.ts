import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Logger } from 'pino';
import type { AriConnection } from './ari-rest.ts';

export interface RawAriEvent {
  type: string;
  [key: string]: unknown;
}

/**
 * The ARI event WebSocket with our own reconnect loop: exponential backoff capped at
 * `maxDelayMs`, retried forever (a hotline never gives up on its PBX). Events that fail to
 * parse or that we do not know are logged and dropped, never thrown.
 */
export class AriEventStream extends EventEmitter {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  connected = false;

  constructor(
    private readonly conn: AriConnection,
    private readonly app: string,
    private readonly log: Logger,
    private readonly maxDelayMs = 5000,
  ) {
    super();
  }

  start(): void {
    this.closed = false;
    this.connect();
  }

  private connect(): void {
    const base = new URL(this.conn.url);
    base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    base.pathname = '/ari/events';
    base.searchParams.set('app', this.app);
    const ws = new WebSocket(base, {
      headers: { authorization: 'Basic ' + Buffer.from(`${this.conn.user}:${this.conn.password}`).toString('base64') },
    });
    this.ws = ws;
    ws.on('open', () => {
      this.attempt = 0;
      this.connected = true;
      this.log.info({ app: this.app }, 'ARI event stream connected');
      // Detect a half-open connection: Asterisk answers pings.
      this.pingTimer = setInterval(() => ws.ping(), 5000);
      this.emit('up');
    });
    // With an endpoint subscription, Asterisk sends the events of a channel in Stasis twice,
    // byte for byte; a short memory of recent messages drops the copies.
    const recent: string[] = [];
    ws.on('message', (data) => {
      const text = data.toString();
      if (recent.includes(text)) return;
      recent.push(text);
      if (recent.length > 64) recent.shift();
      let event: RawAriEvent;
      try {
        event = JSON.parse(text) as RawAriEvent;
      } catch {
        this.log.warn('ARI sent an event that is not JSON; dropped');
        return;
      }
      if (typeof event?.type !== 'string') return;
      this.emit('event', event);
    });
    ws.on('error', (err) => this.log.warn({ err: err.message }, 'ARI event stream error'));
    ws.on('close', () => {
      if (this.pingTimer) clearInterval(this.pingTimer);
      const wasConnected = this.connected;
      this.connected = false;
      this.ws = null;
      if (wasConnected) this.emit('down');
      if (!this.closed) this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const delay = Math.min(this.maxDelayMs, 100 * 2 ** this.attempt);
    this.attempt += 1;
    this.log.info({ delay, attempt: this.attempt }, 'ARI event stream reconnecting');
    this.timer = setTimeout(() => this.connect(), delay);
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
        setTimeout(resolve, 1000).unref();
      });
    }
  }
}
