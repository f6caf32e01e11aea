import type { Logger } from 'pino';
import type { Language } from '../../domain/calls/routing-request.ts';
import {
  shouldOfferSurvey, startSurvey, stepSurvey, type SurveyCommand, type SurveyInput, type SurveyState,
} from '../../domain/survey/survey-machine.ts';
import type { CallRecords } from '../../ports/call-records.ts';
import type { Clock } from '../../ports/clock.ts';
import type { LiveCall, LiveCalls } from '../../ports/live-calls.ts';
import type { Telephony, TelephonyEvent } from '../../ports/telephony.ts';
import type { CallHandle } from '../calls/call-handle.ts';
import type { CallFeature } from '../calls/call-service.ts';
import { promptsIn } from '../calls/media.ts';
import type { PlaybackOwners } from '../calls/playback-owners.ts';

export interface SurveyDeps {
  telephony: Telephony;
  calls: CallHandle;
  liveCalls: LiveCalls;
  records: CallRecords;
  playbacks: PlaybackOwners;
  clock: Clock;
  /** Whether callers of this line hear the survey (config: `lines.<id>.survey`). */
  surveyOnLine: (line: string) => boolean;
  answerTimeoutMs: number;
  defaultLanguage: Language;
  /** Longest a survey may last whatever happens (a lost playback event): then the call is hung up. */
  maxSurveyMs?: number;
}

interface Running {
  state: SurveyState;
  language: Language;
  wait: NodeJS.Timeout | null;
  guard: NodeJS.Timeout;
}

const MAX_SURVEY_MS = 90_000;

/**
 * The satisfaction survey as a call feature: when the counsellor hangs up first (the queue emits
 * 'counsellor-hung-up'), a caller still on the line is taken out of the call's bridge and asked,
 * on their own channel, in the language they chose (survey-machine.ts decides). The answer goes
 * on the call record through write-behind. The survey ends by hanging up; any failure hangs up
 * at once, politely, instead of going to the dialplan fallback.
 */
export class SurveyService implements CallFeature {
  private readonly running = new Map<string, Running>();

  constructor(private readonly d: SurveyDeps) {
    d.calls.events.on('counsellor-hung-up', ({ call }) => this.offer(call));
  }

  /** Runs inside the call's turn (the queue's counsellorLeft): after it, a caller in 'survey' is ours. */
  private async offer(call: LiveCall): Promise<void> {
    const log = this.d.calls.logFor(call.callId);
    const offered = shouldOfferSurvey({
      lineSurvey: this.d.surveyOnLine(call.line),
      escalated: call.outcome === 'escalated' || Boolean(call.escalation),
      callerUp: this.d.calls.getCall(call.callId) === call,
      counsellorHungUpFirst: true,
      followUp: call.dialled === 'follow-up',
    });
    if (!offered || !this.d.calls.transition(call, 'survey-started')) return;
    const language = call.routing?.language ?? call.ivr?.language ?? this.d.defaultLanguage;
    const guard = setTimeout(() => void this.onGuard(call.callId), this.d.maxSurveyMs ?? MAX_SURVEY_MS);
    const start = startSurvey();
    this.running.set(call.callId, { state: start.state, language, wait: null, guard });
    log.info({ language }, 'satisfaction survey started');
    try {
      // The caller is alone now: the call's bridge goes, they hear the survey on their own channel.
      const bridgeId = call.bridgeId;
      call.bridgeId = null;
      await this.d.liveCalls.save(call);
      if (bridgeId) await this.d.telephony.destroyBridge(bridgeId);
      await this.apply(call, start.commands, log);
    } catch (err) {
      log.warn({ err }, 'survey could not start; ending the call');
      await this.input(call, { type: 'failed' }, log);
    }
  }

  async onCallerEvent(call: LiveCall, e: TelephonyEvent, log: Logger): Promise<boolean> {
    if (call.phase !== 'survey') return false;
    if (e.type === 'dtmf') await this.input(call, { type: 'digit', digit: e.digit }, log);
    // Only the call's current playback reaches here (CallService): a stopped one is not "finished".
    else if (e.type === 'playback-finished') await this.input(call, { type: 'prompt-finished' }, log);
    return true;
  }

  /** One input through the machine; a failure while acting on it ends the survey with a hang-up. */
  private async input(call: LiveCall, input: SurveyInput, log: Logger): Promise<void> {
    const run = this.running.get(call.callId);
    if (!run) return;
    this.clearWait(run);
    const step = stepSurvey(run.state, input, this.d.answerTimeoutMs);
    run.state = step.state;
    try {
      await this.apply(call, step.commands, log);
    } catch (err) {
      if (input.type === 'failed') return;
      log.warn({ err }, 'survey step failed; ending the call');
      await this.input(call, { type: 'failed' }, log);
    }
  }

  private async apply(call: LiveCall, commands: SurveyCommand[], log: Logger): Promise<void> {
    const run = this.running.get(call.callId);
    if (!run) return;
    for (const c of commands) {
      switch (c.type) {
        case 'play': {
          const current = this.d.playbacks.currentOf(call.callId);
          if (current) {
            this.d.playbacks.forget(call.callId);
            await this.d.telephony.stopPlayback(current).catch(() => undefined);
          }
          const pb = this.d.playbacks.begin(call.callId);
          await this.d.telephony.play({ channelId: call.channelId }, promptsIn(run.language, [c.prompt]), pb);
          break;
        }
        case 'wait':
          run.wait = setTimeout(() => {
            run.wait = null;
            void this.d.calls.runOnCall(call.callId, () => this.input(call, { type: 'timeout' }, log));
          }, c.ms);
          break;
        case 'store-answer':
          // Write-behind: kept in the backlog if PostgreSQL is down, never lost with the call.
          await this.d.records.update(call.callId, { satisfaction: c.answer, satisfactionAt: this.d.clock.now().toISOString() });
          log.info({ answer: c.answer }, 'satisfaction answer stored');
          break;
        case 'hang-up':
          log.info({ answer: run.state.answer }, 'satisfaction survey over; hanging up');
          await this.hangUp(call, log);
          break;
      }
    }
  }

  private async hangUp(call: LiveCall, log: Logger): Promise<void> {
    await this.d.telephony.hangup(call.channelId).catch((err: unknown) => log.error({ err }, 'could not hang up after the survey; the guard retries'));
  }

  /** The survey went on too long (an event lost): the caller is hung up, politely enough. */
  private async onGuard(callId: string): Promise<void> {
    await this.d.calls.runOnCall(callId, async () => {
      const call = this.d.calls.getCall(callId);
      const run = this.running.get(callId);
      if (!call || !run) return;
      const log = this.d.calls.logFor(callId);
      log.warn('survey guard: ending the call');
      run.guard = setTimeout(() => void this.onGuard(callId), 10_000);
      await this.hangUp(call, log);
    });
  }

  private clearWait(run: Running): void {
    if (run.wait) clearTimeout(run.wait);
    run.wait = null;
  }

  async onCallerGone(call: LiveCall): Promise<void> {
    const run = this.running.get(call.callId);
    if (!run) return;
    this.clearWait(run);
    clearTimeout(run.guard);
    run.state = stepSurvey(run.state, { type: 'caller-left' }, this.d.answerTimeoutMs).state;
    this.running.delete(call.callId);
  }

  /** After a restart: a caller left in the survey with nobody running it is hung up, politely. */
  async resync(calls: LiveCall[], channelIds: Set<string>, log: Logger): Promise<void> {
    for (const call of calls) {
      if (call.phase !== 'survey' || this.running.has(call.callId) || !channelIds.has(call.channelId)) continue;
      log.info({ callId: call.callId }, 'caller found in a survey nobody runs: hanging up');
      await this.hangUp(call, log);
    }
  }

  shutdown(): void {
    for (const run of this.running.values()) {
      this.clearWait(run);
      clearTimeout(run.guard);
    }
    this.running.clear();
  }
}
