import { beforeEach, expect, it } from 'vitest';
import type { SupervisionStore } from '../../src/ports/supervision-store.ts';
import type { Alert, MonitorSession } from '../../src/wire/supervision.ts';

const alert = (n: number): Alert => ({ at: new Date(1_800_000_000_000 + n).toISOString(), severity: 'critical', code: `code-${n}`, message: `警报 ${n}`, callId: `call-${n}` });
const session = (id: string): MonitorSession => ({
  id, callId: 'call-1', mode: 'listen', supervisorId: 's1', supervisorChannelId: `sup-${id}`, snoopChannelId: `snoop-${id}`, bridgeId: null,
  snoop: { spy: 'both', whisper: 'none' }, state: 'ringing',
});

/** The SupervisionStore contract: alerts newest first and capped; monitoring sessions by id. */
export function supervisionStoreContract(make: () => Promise<SupervisionStore>): void {
  let s: SupervisionStore;
  beforeEach(async () => {
    s = await make();
  });

  it('keeps the newest alerts first, no more than asked to keep', async () => {
    for (let i = 1; i <= 5; i++) await s.pushAlert(alert(i), 3);
    expect(await s.recentAlerts(10)).toEqual([alert(5), alert(4), alert(3)]);
    expect(await s.recentAlerts(2)).toEqual([alert(5), alert(4)]);
  });

  it('keeps monitoring sessions by id, the last write of each', async () => {
    await s.putMonitor(session('a'));
    await s.putMonitor(session('b'));
    await s.putMonitor({ ...session('a'), state: 'active', bridgeId: 'monitor-a' });
    await s.removeMonitor('b');
    expect(await s.listMonitors()).toEqual([{ ...session('a'), state: 'active', bridgeId: 'monitor-a' }]);
  });
}
