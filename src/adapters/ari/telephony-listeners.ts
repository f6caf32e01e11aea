import type { Logger } from 'pino';
import type { TelephonyEvent, TelephonyListener } from '../../ports/telephony.ts';

/** The listeners of a Telephony adapter: one that throws is logged and never stops the others. */
export class TelephonyListeners {
  private readonly listeners = new Set<TelephonyListener>();

  constructor(private readonly log: Logger) {}

  emit(event: TelephonyEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.log.error({ err, event: event.type }, 'telephony listener threw');
      }
    }
  }

  add(listener: TelephonyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
