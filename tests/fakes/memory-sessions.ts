import { randomBytes } from 'node:crypto';
import type { Principal, Sessions } from '../../src/ports/auth.ts';
import { jsonCopy } from './clone.ts';

/** Sign-in sessions in memory; tokens look like the Redis adapter's and malformed ones are refused the same way. */
export class MemorySessions implements Sessions {
  private readonly sessions = new Map<string, Principal>();

  async create(principal: Principal): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, jsonCopy(principal));
    return token;
  }
  async get(token: string): Promise<Principal | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const p = this.sessions.get(token);
    return p ? jsonCopy(p) : null;
  }
  async destroy(token: string): Promise<void> {
    this.sessions.delete(token);
  }
  async restoreSession(token: string, principal: Principal): Promise<void> {
    if (!this.sessions.has(token)) this.sessions.set(token, jsonCopy(principal));
  }
  /** Test helper: the store lost its data. */
  clear(): void {
    this.sessions.clear();
  }
}
