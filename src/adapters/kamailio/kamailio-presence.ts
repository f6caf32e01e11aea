import type { Logger } from 'pino';
import type { TelephonyEvent } from '../../ports/telephony.ts';

/**
 * Who is registered, read from Kamailio (the cluster's registrar) instead of one Asterisk: its
 * usrloc table over JSON-RPC (`ul.dump`), polled every `intervalMs`. A change of a subscribed
 * account comes out as the same `endpoint-state` event a single Asterisk sends (`PJSIP/1001`), so
 * the presence code above cannot tell the difference. Polling rather than pushed events: a missed
 * push would leave a counsellor wrongly free or busy, a poll converges on the next round.
 */
export class KamailioPresence {
  private registered = new Set<string>();
  private readonly subscribed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private polled = false;

  constructor(
    private readonly rpcUrl: string,
    private readonly emit: (event: TelephonyEvent) => void,
    private readonly log: Logger,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    const tick = async () => {
      await this.poll().catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'Kamailio registrations not read'));
      if (this.timer) this.timer = setTimeout(() => void tick(), this.intervalMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** `PJSIP/1001` endpoints whose changes are reported (the rest are not counsellors' accounts). */
  subscribe(endpoints: string[]): void {
    for (const e of endpoints) this.subscribed.add(e.replace(/^PJSIP\//, ''));
  }

  /** Registered accounts now as endpoint states; subscribed accounts not registered are offline. */
  async states(): Promise<Array<{ resource: string; state: string }>> {
    if (!this.polled) await this.poll();
    const names = new Set([...this.subscribed, ...this.registered]);
    return [...names].map((resource) => ({ resource, state: this.registered.has(resource) ? 'online' : 'offline' }));
  }

  async poll(): Promise<void> {
    const res = await fetch(this.rpcUrl, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'ul.dump', id: 1 }), signal: AbortSignal.timeout(2000),
    });
    if (!res.ok) throw new Error(`Kamailio RPC answered ${res.status}`);
    const now = registeredAors(await res.json());
    const before = this.registered;
    this.registered = now;
    this.polled = true;
    for (const name of this.subscribed) {
      const was = before.has(name);
      const is = now.has(name);
      if (was !== is) this.emit({ type: 'endpoint-state', technology: 'PJSIP', resource: name, state: is ? 'online' : 'offline' });
    }
  }
}

/** The AoRs with at least one contact in a `ul.dump` answer (Kamailio 5.6's JSON shape). */
export function registeredAors(answer: unknown): Set<string> {
  const out = new Set<string>();
  const domains = (answer as { result?: { Domains?: Array<{ Domain?: { AoRs?: unknown[] } }> } }).result?.Domains ?? [];
  for (const d of domains) {
    for (const a of d.Domain?.AoRs ?? []) {
      const info = (a as { Info?: { AoR?: string; Contacts?: unknown[] } }).Info;
      if (info?.AoR && (info.Contacts?.length ?? 0) > 0) out.add(info.AoR);
    }
  }
  return out;
}
