import type { IvrState } from '../domain/ivr/ivr-types.ts';
import type { CallOutcome } from './call-records.ts';
import type { RoutingRequest } from '../domain/calls/routing-request.ts';
import type { EscalationState } from '../domain/escalation/escalation-machine.ts';
import type { CallPhase } from '../domain/calls/call-machine.ts';
import type { TransferState } from '../domain/transfer/transfer-machine.ts';
import type { CallerArea } from '../domain/routing/caller-area.ts';

export type { CallPhase };

export interface LiveCall {
  callId: string;
  /** The caller's channel (the call id is the caller channel id). */
  channelId: string;
  line: string;
  dialled: string;
  callerNumber: string;
  startedAt: string;
  /** Changed only by `CallService.transition`, which checks it against the call machine. */
  phase: CallPhase;
  ivr: IvrState | null;
  routing: RoutingRequest | null;
  counsellorId: string | null;
  counsellorChannelId: string | null;
  bridgeId: string | null;
  /** The claim token of the offer that connected (or is ringing for) this call. */
  offerId: string | null;
  /** Other channels that belong to this call (escalation legs, snoops), for cleanup. */
  extraChannels: string[];
  /** Set by a feature when the call ends in a way the phase alone does not tell (callback, escalation). */
  outcome?: CallOutcome;
  /** When the caller first joined the queue (ms): their place, should they have to be called back. */
  queuedAt?: number;
  /** The PBX's start time when the call arrived: a different one later means the PBX restarted under it. */
  pbxStartedAt?: string | null;
  /** The caller's area and local team, decided when the call came in (see `domain/routing/caller-area.ts`). */
  area?: CallerArea;
  /** The escalation to 110 in progress, so that a restarted service carries it on. */
  escalation?: EscalationState | null;
  /** The transfer to a colleague in progress (domain/transfer), so that a restarted service carries it on. */
  transfer?: TransferState | null;
}

/** Channels that are not callers (counsellor legs, 110 legs, snoops) point back to their call. */
export interface ChannelLink {
  channelId: string;
  callId: string;
  role: 'counsellor' | 'emergency' | 'snoop' | 'supervisor' | 'colleague' | 'dialback';
}

export interface LiveCalls {
  save(call: LiveCall): Promise<void>;
  get(callId: string): Promise<LiveCall | null>;
  remove(callId: string): Promise<void>;
  list(): Promise<LiveCall[]>;
  link(link: ChannelLink): Promise<void>;
  linkOf(channelId: string): Promise<ChannelLink | null>;
  unlink(channelId: string): Promise<void>;
}
