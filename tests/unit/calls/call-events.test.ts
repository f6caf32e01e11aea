import { describe, expect, it } from 'vitest';
import { CallEventBus } from '../../../src/services/calls/call-events.ts';
import type { LiveCall } from '../../../src/ports/live-calls.ts';

const call = { callId: 'c1' } as LiveCall;

describe('CallEventBus', () => {
  it('runs the handlers of an event in the order they subscribed, the first before emit returns', async () => {
    const bus = new CallEventBus();
    const heard: string[] = [];
    bus.on('counsellor-available', ({ counsellorId }) => void heard.push(`first ${counsellorId}`));
    bus.on('counsellor-available', async ({ counsellorId }) => void heard.push(`second ${counsellorId}`));
    const emitted = bus.emit('counsellor-available', { counsellorId: 'c-7' });
    expect(heard).toEqual(['first c-7']);
    await emitted;
    expect(heard).toEqual(['first c-7', 'second c-7']);
  });

  it('passes a failing handler\'s error to whoever awaits the event', async () => {
    const bus = new CallEventBus();
    bus.on('caller-requeued', async () => {
      throw new Error('no holding bridge');
    });
    await expect(bus.emit('caller-requeued', { call })).rejects.toThrow('no holding bridge');
  });

  it('answers a question with its one answerer, null when none is wired, and refuses a second answerer', () => {
    const bus = new CallEventBus();
    expect(bus.ask('colleague-to-promote', call)).toBeNull();
    bus.answer('colleague-to-promote', (c) => ({ channelId: `colleague-t-${c.callId}`, counsellorId: 'c-2', token: 't' }));
    expect(bus.ask('colleague-to-promote', call)).toEqual({ channelId: 'colleague-t-c1', counsellorId: 'c-2', token: 't' });
    expect(() => bus.answer('colleague-to-promote', () => null)).toThrow(/answerer already/);
  });
});
