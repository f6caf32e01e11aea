import { describe, expect, it } from 'vitest';
import type { LiveCall } from '../../../src/ports/live-calls.ts';
import { PbxLifecycle } from '../../../src/services/calls/pbx-lifecycle.ts';

const call = (callId: string, pbxStartedAt: string | null = 'start-1') => ({ callId, pbxStartedAt }) as LiveCall;

describe('PbxLifecycle', () => {
  it('sees a restart only when the start time changes, and names who left in the 15 s before the drop', () => {
    let now = 0;
    const pbx = new PbxLifecycle(() => now);
    expect(pbx.observeStart('start-1')).toEqual([]);
    pbx.rememberLeft(call('long-ago'));
    now = 50_000;
    pbx.rememberLeft(call('just-before'));
    now = 55_000;
    pbx.connectionDown();
    expect(pbx.observeStart('start-1'), 'same PBX: nobody was cut off').toEqual([]);
    expect(pbx.observeStart('start-2').map((c) => c.callId)).toEqual(['just-before']);
    expect(pbx.observeStart('start-3'), 'forgotten once a restart was seen').toEqual([]);
    expect(pbx.restartedUnder(call('x', 'start-1'))).toBe(true);
    expect(pbx.restartedUnder(call('y', 'start-3'))).toBe(false);
    expect(pbx.restartedUnder(call('z', null)), 'an older call without a start time').toBe(false);
  });

  it('forgets callers who left more than a minute ago', () => {
    let now = 0;
    const pbx = new PbxLifecycle(() => now);
    pbx.observeStart('start-1');
    pbx.rememberLeft(call('old'));
    now = 61_000;
    pbx.rememberLeft(call('new'));
    pbx.connectionDown();
    now = 61_001;
    expect(pbx.observeStart('start-2').map((c) => c.callId)).toEqual(['new']);
  });

  it('reports the connection gone when it drops within the wait, not otherwise', async () => {
    const pbx = new PbxLifecycle(() => 0);
    expect(await pbx.goneWithin(10), 'never connected').toBe(true);
    pbx.connectionUp();
    expect(await pbx.goneWithin(10)).toBe(false);
    const waiting = pbx.goneWithin(1000);
    pbx.connectionDown();
    expect(await waiting).toBe(true);
  });
});
