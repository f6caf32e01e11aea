import type { FakeChannel, FakeLeg, FakePlayback } from './fake-pbx-state.ts';
import type { CommandCall } from './fake-telephony-core.ts';
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

  /** Every leg dialled (staff phones rung, trunks dialled out), in order. */
  dialled(): FakeLeg[] {
    return this.commands.flatMap((c): FakeLeg[] => {
      if (c.op === 'ringPhone') return [{ kind: 'phone', ...(c as CommandCall<'ringPhone'>).args[0] }];
      if (c.op === 'dialOut') return [{ kind: 'out', ...(c as CommandCall<'dialOut'>).args[0] }];
      return [];
    });
  }

  /** The staff phones rung (offers, callbacks' counsellor legs, colleagues, supervisors), in order. */
  phonesRung(): Array<Extract<FakeLeg, { kind: 'phone' }>> {
    return this.dialled().filter((l): l is Extract<FakeLeg, { kind: 'phone' }> => l.kind === 'phone');
  }

  /** The trunk legs dialled out (110, callers called back), in order. */
  dialledOut(): Array<Extract<FakeLeg, { kind: 'out' }>> {
    return this.dialled().filter((l): l is Extract<FakeLeg, { kind: 'out' }> => l.kind === 'out');
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

  /** A dialled channel is answered and enters Stasis with the appArgs it was dialled with. */
  answerLeg(channelId: string): void {
    const c = this.pbx.channels.get(channelId);
    if (!c?.dialledAs) throw new Error(`no dialled channel ${channelId}`);
    c.state = 'Up';
    this.emit({
      type: 'channel-entered', channelId, channelName: c.name, args: c.dialledAs.appArgs, caller: c.caller, dialled: c.dialled, state: 'Up',
    });
  }

  /** A dialled channel ends unanswered (19 no answer, 17 busy, 34 congestion...). */
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
