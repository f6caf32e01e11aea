/**
 * The counsellor's WebRTC phone: a SIP.js Web.SimpleUser registered over the PBX's WebSocket.
 * SIP.js retries a dropped WebSocket a few times by itself (`reconnectionAttempts`); on top of
 * that, every server disconnect starts our own watchdog with backoff that reconnects and
 * re-registers until it works, so a console left open overnight comes back after a PBX restart.
 */
import { Web, type Core } from 'sip.js';
import type { SipConfig } from '../../../src/wire/counsellors.ts';
import { backoffMs } from './backoff.ts';
import type { PhoneState, SipState } from './model.ts';

export interface SoftphoneHandlers {
  sip(state: SipState): void;
  phone(state: PhoneState): void;
}

export class Softphone {
  private readonly user: Web.SimpleUser;
  private stopped = false;
  private registered = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    cfg: SipConfig,
    remoteAudio: HTMLAudioElement,
    private readonly h: SoftphoneHandlers,
  ) {
    this.user = new Web.SimpleUser(cfg.wsServer, {
      aor: cfg.aor,
      media: { constraints: { audio: true, video: false }, remote: { audio: remoteAudio } },
      reconnectionAttempts: 3,
      reconnectionDelay: 2,
      userAgentOptions: {
        authorizationUsername: cfg.username,
        authorizationPassword: cfg.password,
        displayName: cfg.displayName,
        logLevel: 'warn',
        // SIP.js logs expected trouble (a dropped WebSocket, an unregister that cannot be sent)
        // as errors; the page shows the phone's state itself, so its log goes out as warnings.
        logBuiltinEnabled: false,
        logConnector: (level, category, label, content) => console.warn(`[sip.js ${level}] ${category}${label ? ` ${label}` : ''}: ${content}`),
      },
      delegate: {
        onServerConnect: () => {
          this.attempt = 0;
          this.h.sip({ kind: 'connected' });
        },
        onServerDisconnect: () => {
          this.registered = false;
          if (this.stopped) return;
          this.h.phone('idle');
          this.scheduleRecovery();
        },
        onRegistered: () => {
          this.registered = true;
          this.attempt = 0;
          this.h.sip({ kind: 'registered' });
        },
        onUnregistered: () => {
          this.registered = false;
          if (!this.stopped) this.h.sip({ kind: 'unregistered' });
        },
        onCallReceived: () => this.h.phone('ringing'),
        onCallAnswered: () => this.h.phone('connected'),
        onCallHangup: () => this.h.phone('idle'),
      },
    });
  }

  async start(): Promise<void> {
    this.h.sip({ kind: 'connecting' });
    try {
      await this.user.connect();
      await this.register();
    } catch (e) {
      console.warn('softphone: first connection failed', e);
      this.scheduleRecovery();
    }
  }

  async answer(): Promise<void> {
    this.h.phone('answering');
    try {
      await this.user.answer();
    } catch (e) {
      this.h.phone('ringing');
      throw e;
    }
  }

  decline(): Promise<void> {
    return this.user.decline();
  }

  hangup(): Promise<void> {
    return this.user.hangup();
  }

  /** Unregisters and closes the WebSocket; no more reconnection attempts. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      if (this.registered) await this.user.unregister();
    } catch (e) {
      console.warn('softphone: unregister failed', e);
    }
    await this.user.disconnect().catch(() => undefined);
    this.h.sip({ kind: 'idle' });
  }

  private register(): Promise<void> {
    return this.user.register({
      requestDelegate: {
        onReject: (res: Core.IncomingResponse) => {
          this.h.sip({ kind: 'rejected', reason: `${res.message.statusCode} ${res.message.reasonPhrase}` });
        },
      },
    });
  }

  private scheduleRecovery(): void {
    if (this.stopped || this.timer) return;
    this.attempt += 1;
    const delay = backoffMs(this.attempt);
    this.h.sip({ kind: 'disconnected', retryInSec: Math.ceil(delay / 1000) });
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.recover();
    }, delay);
  }

  private async recover(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.user.isConnected()) {
        this.h.sip({ kind: 'reconnecting' });
        await this.user.connect();
      }
      if (!this.registered) await this.register();
    } catch (e) {
      console.warn('softphone: reconnection failed', e);
      this.scheduleRecovery();
    }
  }
}
