import { describe, expect, it } from 'vitest';
import { mapAriEvent, USED_ARI_EVENTS } from '../../../src/adapters/ari/ari-event-mapper.ts';

const channel = { id: 'ch1', name: 'PJSIP/carrier-0001', state: 'Ring', caller: { number: '13800000000', name: '' }, dialplan: { exten: '12355' } };

/** A plausible body for every event type Asterisk 22 may send to an app (subset of the ARI event list). */
const SAMPLES: Record<string, Record<string, unknown>> = {
  StasisStart: { channel, args: ['main', '12355'] },
  StasisEnd: { channel },
  ChannelDestroyed: { channel, cause: 16, cause_txt: 'Normal Clearing' },
  ChannelStateChange: { channel: { ...channel, state: 'Up' } },
  ChannelDtmfReceived: { channel, digit: '1', duration_ms: 100 },
  PlaybackFinished: { playback: { id: 'pb1', state: 'done' } },
  EndpointStateChange: { endpoint: { technology: 'PJSIP', resource: '1001', state: 'online' } },
  Dial: { peer: channel, dialstatus: 'ANSWER' },
  ChannelVarset: { channel, variable: 'X', value: '1' },
  ChannelDialplan: { channel, dialplan_app: 'Stasis' },
  ChannelHangupRequest: { channel, cause: 16 },
  ChannelEnteredBridge: { channel, bridge: { id: 'b1' } },
  ChannelLeftBridge: { channel, bridge: { id: 'b1' } },
  BridgeCreated: { bridge: { id: 'b1' } },
  BridgeDestroyed: { bridge: { id: 'b1' } },
  PlaybackStarted: { playback: { id: 'pb1', state: 'playing' } },
  ChannelCallerId: { channel },
  ChannelConnectedLine: { channel },
  DeviceStateChanged: { device_state: { name: 'PJSIP/1001', state: 'NOT_INUSE' } },
  ApplicationReplaced: { application: 'hotline' },
};

describe('ARI event mapping and the event filter', () => {
  it('maps every event type the filter allows', () => {
    for (const type of USED_ARI_EVENTS) {
      expect(mapAriEvent({ type, ...SAMPLES[type] }), type).not.toBeNull();
    }
  });

  it('allows exactly the event types the mapper uses, so no used event is filtered away', () => {
    const mapped = Object.keys(SAMPLES).filter((type) => mapAriEvent({ type, ...SAMPLES[type] }) !== null);
    expect(mapped.sort()).toEqual([...USED_ARI_EVENTS].sort());
  });

  it('maps a caller entering with the dialled number and arguments', () => {
    expect(mapAriEvent({ type: 'StasisStart', ...SAMPLES.StasisStart })).toEqual({
      type: 'channel-entered', channelId: 'ch1', channelName: 'PJSIP/carrier-0001', args: ['main', '12355'],
      caller: { number: '13800000000', name: '' }, dialled: '12355', state: 'Ring',
    });
  });

  it('passes the called number the carrier reported for a caller (fourth argument from the hotline contexts), never for a leg', () => {
    const caller = { ...channel, dialplan: { exten: 's', context: 'hotline-entry' } };
    expect(mapAriEvent({ type: 'StasisStart', channel: caller, args: ['main', '12355', '', '075512355'] })).toMatchObject({ carrierCalled: ['075512355'], dialled: 's' });
    expect(mapAriEvent({ type: 'StasisStart', channel: { ...caller, dialplan: { exten: 's', context: 'hotline-fallback' } }, args: ['main', '12355', 'fallback', '02012355'] }))
      .toMatchObject({ carrierCalled: ['02012355'] });
    // No header: nothing to report.
    expect(mapAriEvent({ type: 'StasisStart', channel: caller, args: ['main', '12355', '', ''] })).not.toHaveProperty('carrierCalled');
    // A counsellor leg's fourth argument is its offer id, not a number anybody called.
    const leg = { ...channel, dialplan: { exten: 's', context: 'default' } };
    expect(mapAriEvent({ type: 'StasisStart', channel: leg, args: ['counsellor', 'call1', 'c1001', 'ab12cd34'] })).not.toHaveProperty('carrierCalled');
  });

  it('drops events without the object they are about', () => {
    for (const type of ['StasisStart', 'StasisEnd', 'ChannelDestroyed', 'ChannelStateChange', 'ChannelDtmfReceived', 'PlaybackFinished', 'EndpointStateChange', 'Dial']) {
      expect(mapAriEvent({ type }), type).toBeNull();
    }
  });
});
