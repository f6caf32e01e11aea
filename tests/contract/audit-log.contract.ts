import { beforeEach, expect, it } from 'vitest';
import type { AuditLog } from '../../src/ports/auth.ts';

/** Ways to try to change history behind the port's back; each must fail. */
export interface AuditTamper {
  update(id: number): Promise<unknown>;
  delete?(id: number): Promise<unknown>;
}

/** The AuditLog contract: entries come back newest first, as written, and can never be changed. */
export function auditLogContract(make: () => Promise<{ log: AuditLog; tamper: AuditTamper }>): void {
  let log: AuditLog;
  let tamper: AuditTamper;
  beforeEach(async () => {
    ({ log, tamper } = await make());
  });

  it('lists entries newest first with increasing ids and the time they were written', async () => {
    const before = Date.now();
    await log.append({ actor: 's1', role: 'supervisor', action: 'monitor-listen', callId: 'c-1', data: { sessionId: 'ab12cd34' } });
    await log.append({ actor: 'system', role: 'system', action: 'roster-reload' });
    await log.append({ actor: 'a1', role: 'admin', action: 'reveal-number', callId: 'c-2', target: '13800138000', data: { reason: '110' } });
    const entries = await log.list(10);
    expect(entries.map((e) => e.action)).toEqual(['reveal-number', 'roster-reload', 'monitor-listen']);
    const ids = entries.map((e) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    expect(entries[0]).toMatchObject({ actor: 'a1', role: 'admin', callId: 'c-2', target: '13800138000', data: { reason: '110' } });
    expect(entries[1]).toEqual({ id: entries[1]?.id, at: entries[1]?.at, actor: 'system', role: 'system', action: 'roster-reload', data: {} });
    for (const e of entries) expect(Math.abs(Date.parse(e.at) - before)).toBeLessThan(5 * 60_000);
    expect((await log.list(2)).map((e) => e.action)).toEqual(['reveal-number', 'roster-reload']);
  });

  it('is append-only: an entry cannot be changed or deleted', async () => {
    await log.append({ actor: 's1', role: 'supervisor', action: 'escalate-110', callId: 'c-1', data: { escalationId: 'e1' } });
    const [entry] = await log.list(1);
    const id = entry?.id ?? 0;
    await expect(tamper.update(id)).rejects.toThrow();
    if (tamper.delete) await expect(tamper.delete(id)).rejects.toThrow();
    expect(await log.list(10)).toEqual([entry]);
  });

  it('hands out copies: changing a listed entry does not change the log', async () => {
    await log.append({ actor: 's1', role: 'supervisor', action: 'monitor-barge', data: { n: 1 } });
    const [entry] = await log.list(1);
    if (entry) {
      entry.actor = 'someone-else';
      (entry.data as { n: number }).n = 2;
    }
    expect(await log.list(1)).toMatchObject([{ actor: 's1', data: { n: 1 } }]);
  });
}
