import type { Logger } from 'pino';
import type { HotlineConfig } from '../../config/hotline-config.ts';
import { handleEvent, startCall } from '../../domain/ivr/ivr-engine.ts';
import { resolvePrompt } from '../../domain/ivr/ivr-menus.ts';
import type { IvrCommand, IvrEvent, IvrStep } from '../../domain/ivr/ivr-types.ts';
import type { CallHandle } from './call-handle.ts';
import type { CallRecords } from '../../ports/call-records.ts';
import type { Clock } from '../../ports/clock.ts';
import type { LiveCall, LiveCalls } from '../../ports/live-calls.ts';
import type { Telephony } from '../../ports/telephony.ts';
import type { PlaybackOwners } from './playback-owners.ts';

/** Where the IVR hands a caller once it knows their need. */
export interface CallerQueue {
  enqueue(call: LiveCall): Promise<void>;
}

export interface IvrDeps {
  telephony: Telephony;
  config: HotlineConfig;
  clock: Clock;
  calls: LiveCalls;
  records: CallRecords;
  playbacks: PlaybackOwners;
  queue: CallerQueue;
  /** Starts the call's input timer; when it fires, the owner feeds a 'timeout' event back in. */
  schedule: (callId: string, ms: number) => void;
  cancelSchedule: (callId: string) => void;
  /** The router's one way to change a call's phase. */
  transition: CallHandle['transition'];
}

/** Runs the pure IVR engine for callers: carries out its commands and feeds it events. */
export class IvrService {
  constructor(private readonly d: IvrDeps) {}

  async begin(call: LiveCall, log: Logger): Promise<void> {
    const step = startCall(this.d.config, call.dialled, this.d.clock.now());
    await this.apply(call, step, log);
  }

  async onEvent(call: LiveCall, event: IvrEvent, log: Logger): Promise<void> {
    if (call.phase !== 'ivr' || !call.ivr) return;
    const step = handleEvent(this.d.config, call.ivr, event, this.d.clock.now());
    await this.apply(call, step, log);
  }

  /** Stops what the IVR left running for a call (timer, playback). */
  async stop(callId: string): Promise<void> {
    this.d.cancelSchedule(callId);
    const pb = this.d.playbacks.currentOf(callId);
    if (pb) await this.d.telephony.stopPlayback(pb);
  }

  private async apply(call: LiveCall, step: IvrStep, log: Logger): Promise<void> {
    call.ivr = step.state;
    call.line = step.state.line;
    await this.d.calls.save(call);
    for (const cmd of step.commands) await this.exec(call, cmd, log);
  }

  private async exec(call: LiveCall, cmd: IvrCommand, log: Logger): Promise<void> {
    switch (cmd.type) {
      case 'play': {
        const id = this.d.playbacks.begin(call.callId);
        await this.d.telephony.play({ channelId: call.channelId }, cmd.prompts.map((ref) => resolvePrompt(ref, cmd.language)), id);
        return;
      }
      case 'stop-playback': {
        const pb = this.d.playbacks.currentOf(call.callId);
        if (pb) {
          this.d.playbacks.forget(call.callId);
          await this.d.telephony.stopPlayback(pb);
        }
        return;
      }
      case 'start-timer':
        this.d.schedule(call.callId, cmd.ms);
        return;
      case 'cancel-timer':
        this.d.cancelSchedule(call.callId);
        return;
      case 'route': {
        const state = call.ivr;
        // Refused only if the call was handed to the dialplan meanwhile: then it is not queued.
        if (!this.d.transition(call, 'routed')) return;
        call.routing = cmd.routing;
        log.info({ need: cmd.routing.need, language: cmd.routing.language, highRisk: cmd.routing.highRisk }, 'caller routed');
        await this.d.records.update(call.callId, {
          need: cmd.routing.need,
          language: cmd.routing.language,
          highRisk: cmd.routing.highRisk,
          line: cmd.routing.line,
          path: state?.path ?? [],
        });
        await this.d.queue.enqueue(call);
        return;
      }
    }
  }
}
