import { describe, expect, it } from 'vitest';
import { ariNodes, loadSettings } from '../../../src/config/settings.ts';

const ok = { ARI_PASSWORD: 'a-long-enough-secret' };

describe('cluster settings', () => {
  it('is one Asterisk at ARI_URL unless ARI_NODES lists several', () => {
    expect(ariNodes(loadSettings(ok))).toEqual([['pbx', 'http://127.0.0.1:8088']]);
    const s = loadSettings({ ...ok, ARI_NODES: 'ast1=http://127.0.1.1:8088,ast2=http://127.0.1.2:8088' });
    expect(ariNodes(s)).toEqual([['ast1', 'http://127.0.1.1:8088'], ['ast2', 'http://127.0.1.2:8088']]);
    expect(s.CLUSTER_LEASE_MS).toBe(3000);
  });

  it('refuses a malformed node list and plain http to a node off loopback', () => {
    expect(() => loadSettings({ ...ok, ARI_NODES: 'ast1:http://x' })).toThrow(/ARI_NODES must be id=url pairs/);
    expect(() => loadSettings({ ...ok, ARI_NODES: 'ast1=http://10.0.0.5:8088' })).toThrow(/ARI_NODES ast1 must use https/);
    expect(loadSettings({ ...ok, ARI_NODES: 'ast1=https://10.0.0.5:8089' }).ARI_NODES).toBe('ast1=https://10.0.0.5:8089');
  });
});
