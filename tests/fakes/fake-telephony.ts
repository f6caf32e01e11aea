import type { OriginateRequest } from '../../src/ports/telephony.ts';
import type { FakeChannel, FakePlayback } from './fake-pbx-state.ts';
import { FakePbxTelephony } from './fake-telephony-core.ts';

export type { CommandCall, TelephonyOp } from './fake-telephony-core.ts';

/** The fake PBX with the moves of the far ends: callers, counsellors' phones and 110 (see FakePbxTelephony). */
export class FakeTelephony extends FakePbxTelephony {
  /** A FakeTelephony for the same PBX as seen by a restarted service: same channels, no history. */
  static restartedFrom(old: FakePbxTelephony): FakeTelephony {
    return new FakeTelephony(old.pbx.copy());
  }

  /** Asterisk restarts under the service: the connection drops, every call on it is cut off, it comes back empty. */
  pbxRestarts(at = '2026-12-06T12:00:00.000Z'): void {
    this.emit({ type: 'connection', state: 'down' });
    this.pbx.restart(at);
    this.emit({ type: 'connection', state: 'up' });
  }

  originated(): OriginateRequest[] {
    return this.callsOf('originate').map(([r]) => r);
  }

  /** An inbound call on a hotline number enters Stasis(hotline, <line>, <dialled>). */
  callerEnters(channelId: string, o: { number?: string; dialled?: string; line?: string; state?: string } = {}): void {
    const dialled = o.dialled ?? '12355';
    this.emit({
      type: 'channel-entered', channelId, channelName: `PJSIP/carrier-${channelId}`, args: [o.line ?? 'main', dialled],
      caller: { number: o.number ?? '13800138000', name: '' }, dialled, state: o.state ?? 'Ring',
    });
  }

  /** The far end hangs up: channel-left (when in the app), then channel-destroyed. */
  remoteHangup(channelId: string, cause = 16, causeText = 'Normal Clearing'): void {
    const c = this.pbx.channels.get(channelId);
    if (c?.inApp) this.emit({ type: 'channel-left', channelId });
    this.emit({ type: 'channel-destroyed', channelId, cause, causeText });
  }

  /** An originated channel is answered and enters Stasis with the originate's appArgs. */
  answerLeg(channelId: string): void {
    const c = this.pbx.channels.get(channelId);
    if (!c?.originate) throw new Error(`no originated channel ${channelId}`);
    c.state = 'Up';
    this.emit({
      type: 'channel-entered', channelId, channelName: c.name, args: c.originate.appArgs, caller: c.caller, dialled: c.dialled, state: 'Up',
    });
  }

  /** An originated channel ends unanswered (19 no answer, 17 busy, 34 congestion...). */
  failLeg(channelId: string, cause = 19, causeText = 'No Answer'): void {
    this.emit({ type: 'channel-destroyed', channelId, cause, causeText });
  }

  dtmf(channelId: string, digits: string): void {
    for (const digit of digits) this.emit({ type: 'dtmf', channelId, digit });
  }

  finishPlayback(playbackId: string): void {
    this.emit({ type: 'playback-finished', playbackId, state: 'done' });
  }

  /** Playbacks still running on a channel, oldest first. */
  playbacksOn(channelId: string): FakePlayback[] {
    return [...this.pbx.playbacks.values()].filter((p) => 'channelId' in p.target && p.target.channelId === channelId);
  }

  /** Finishes every playback running on a channel (the caller heard it all). */
  finishPlaybacksOn(channelId: string): void {
    for (const p of this.playbacksOn(channelId)) this.finishPlayback(p.id);
  }

  channel(channelId: string): FakeChannel | undefined {
    return this.pbx.channels.get(channelId);
  }

  bridgeMembers(bridgeId: string): string[] {
    return [...(this.pbx.bridges.get(bridgeId)?.channels ?? [])];
  }
}
