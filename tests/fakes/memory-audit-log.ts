import type { AuditEntry, AuditLog } from '../../src/ports/auth.ts';
import type { Clock } from '../../src/ports/clock.ts';
import { systemClock } from '../../src/ports/clock.ts';
import { jsonCopy } from './clone.ts';

type Stored = Readonly<AuditEntry & { id: number; at: string }>;

/**
 * The audit log in memory. Append-only like the PostgreSQL table: entries are frozen when stored,
 * there is no way to change or delete one, and `list` hands out copies (newest first).
 */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: Stored[] = [];
  private nextId = 1;

  constructor(private readonly clock: Clock = systemClock) {}

  async append(e: AuditEntry): Promise<void> {
    const entry = {
      id: this.nextId++, at: this.clock.now().toISOString(), actor: e.actor, role: e.role, action: e.action,
      ...(e.callId ? { callId: e.callId } : {}), ...(e.target ? { target: e.target } : {}), data: jsonCopy(e.data ?? {}),
    };
    this.entries.push(Object.freeze(entry));
  }

  async list(limit: number): Promise<Array<AuditEntry & { id: number; at: string }>> {
    return this.entries.slice(-limit).reverse().map((e) => jsonCopy(e) as AuditEntry & { id: number; at: string });
  }

  /** For the append-only contract: the stored entry itself (frozen), as a tampering test would reach it. */
  storedEntry(id: number): Stored | undefined {
    return this.entries.find((e) => e.id === id);
  }
}
