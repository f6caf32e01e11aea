import { describe, expect, it } from 'vitest';
import { legChannelIdFor } from '../../../src/domain/escalation/escalation-machine.ts';
import { isOriginatedLeg } from '../../../src/services/calls/leg-ids.ts';
import { dialBackLegs } from '../../../src/services/callbacks/dial-back-service.ts';
import { offerChannelId } from '../../../src/services/queue/queue-context.ts';

describe('isOriginatedLeg', () => {
  it("recognises every leg id the service builds", () => {
    expect(isOriginatedLeg(offerChannelId('0a1b2c3d', 'c1001'))).toBe(true);
    expect(isOriginatedLeg(legChannelIdFor('9ecff5f6', 1))).toBe(true);
    // Built in transfer-service (colleague-<token>-<id>) and monitor-service (sup-<id>, snoop-<id>).
    for (const id of ['colleague-0a1b2c3d-c1002', 'sup-5e6f7a8b', 'snoop-5e6f7a8b']) expect(isOriginatedLeg(id), id).toBe(true);
    const dialBack = dialBackLegs('5e6f7a8b');
    for (const id of [dialBack.callId, dialBack.counsellorLeg]) expect(isOriginatedLeg(id), id).toBe(true);
  });

  it("never takes a caller's channel (Asterisk's unique id) for a leg", () => {
    for (const id of ['1795877969.2', 'caller-a', 'hotline-holding', 'officer-1']) expect(isOriginatedLeg(id), id).toBe(false);
  });
});
