/**
 * The telephony port: everything the services need from the PBX, in our own words.
 * The ARI adapter implements it against Asterisk (dial strings, SIP headers, media URIs);
 * unit tests use an in-memory fake.
 */
import type { Language } from '../domain/calls/routing-request.ts';

export interface CallerInfo {
  number: string;
  name: string;
}

export type TelephonyEvent =
  /** A channel entered our Stasis app (inbound call, answered originate, or snoop). */
  | {
      type: 'channel-entered'; channelId: string; channelName: string; args: string[]; caller: CallerInfo; dialled: string; state: string;
      /** A caller's call only: numbers the carrier says were called (original called party, diversion), most telling first. */
      carrierCalled?: string[];
    }
  /** A channel left our Stasis app (hung up, or sent back to the dialplan). */
  | { type: 'channel-left'; channelId: string }
  | { type: 'channel-destroyed'; channelId: string; cause: number; causeText: string }
  | { type: 'channel-state'; channelId: string; state: string }
  | { type: 'dtmf'; channelId: string; digit: string }
  | { type: 'playback-finished'; playbackId: string; state: string }
  | { type: 'endpoint-state'; technology: string; resource: string; state: 'online' | 'offline' | 'unknown' }
  /** Dial progress on an originated channel (ringing, busy, no answer). */
  | { type: 'dial'; channelId: string; status: string }
  /** Connection to the PBX: 'up' after each (re)connect, 'down' when lost. */
  | { type: 'connection'; state: 'up' | 'down' };

export type TelephonyListener = (event: TelephonyEvent) => void;

/** How a leg we dial presents itself: the display name and the number shown to whoever it rings. */
export interface CallerIdentity {
  name: string;
  number: string;
}

/** What a counsellor's phone shows about the call it offers (sent as SIP headers, never the caller's number). */
export interface OfferedCall {
  callId: string;
  line: string;
  need: string;
  language: Language;
  /** Seconds the caller has waited so far. */
  waitSec?: number;
  highRisk?: boolean;
  /** The caller's original call, when this is a callback to them. */
  callbackOf?: string;
  /** The follow-up call (回访) this dial-back makes: the console shows its case before the caller is dialled. */
  followUpId?: string;
}

interface DialRequest {
  /** Channel id we choose, so events can be matched before the dial returns. */
  channelId: string;
  /** Stasis arguments the leg enters the app with once answered. */
  appArgs: string[];
  callerId: CallerIdentity;
  timeoutSec: number;
}

/** Ring a staff phone or browser from the roster (counsellor, colleague, supervisor). */
export interface RingPhoneRequest extends DialRequest {
  /** The roster's SIP account to ring, e.g. `1001` or `web1001`. */
  phone: string;
  /** The call being offered; omitted when the phone's display name says enough. */
  call?: OfferedCall;
}

/** Dial out through a trunk: 110, or a caller we call back. */
export interface DialOutRequest extends DialRequest {
  /** The route as configured (EMERGENCY_DIAL, CALLBACK_DIAL with the number filled in). */
  route: string;
  /** Sent with a 110 leg so the police side can trace it to our escalation record. */
  escalationId?: string;
}

/** One piece of one playback: a hotline prompt in a language, or a tone. */
export type Sound = { prompt: string; language: Language } | { tone: 'ringback' };

export interface SnoopRequest {
  snoopId: string;
  spy: 'none' | 'in' | 'out' | 'both';
  whisper: 'none' | 'in' | 'out' | 'both';
  appArgs: string[];
}

export interface AppState {
  channelIds: string[];
  bridgeIds: string[];
  /** When the PBX itself last started: a change means it restarted and every call on it was cut off. */
  pbxStartedAt: string | null;
}

export interface ChannelSnapshot {
  id: string;
  name: string;
  state: string;
  caller: CallerInfo;
  dialled: string;
  creationTime: string;
}

export interface BridgeSnapshot {
  id: string;
  type: string;
  channels: string[];
  name: string;
}

export interface Telephony {
  onEvent(listener: TelephonyListener): () => void;
  answer(channelId: string): Promise<void>;
  hangup(channelId: string, reason?: 'normal' | 'busy' | 'congestion' | 'no_answer'): Promise<void>;
  /** Hand the channel back to the dialplan (our safety net when the service cannot go on). */
  continueInDialplan(channelId: string, target?: { context: string; extension: string; priority: number }): Promise<void>;
  /** Start one playback of one or more sounds, in order. */
  play(target: { channelId: string } | { bridgeId: string }, sounds: Sound[], playbackId: string): Promise<void>;
  stopPlayback(playbackId: string): Promise<void>;
  startMoh(channelId: string, mohClass: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;
  ring(channelId: string): Promise<void>;
  createBridge(bridgeId: string, type: 'holding' | 'mixing', name: string): Promise<void>;
  destroyBridge(bridgeId: string): Promise<void>;
  addToBridge(bridgeId: string, channelIds: string[], role?: string): Promise<void>;
  removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  startBridgeMoh(bridgeId: string, mohClass: string): Promise<void>;
  ringPhone(request: RingPhoneRequest): Promise<void>;
  dialOut(request: DialOutRequest): Promise<void>;
  snoop(channelId: string, request: SnoopRequest): Promise<void>;
  recordBridge(bridgeId: string, name: string): Promise<void>;
  setVariable(channelId: string, name: string, value: string): Promise<void>;
  /** A channel variable, or null when unset or the channel is gone. */
  getVariable(channelId: string, name: string): Promise<string | null>;
  getChannel(channelId: string): Promise<ChannelSnapshot | null>;
  listChannels(): Promise<ChannelSnapshot[]>;
  listBridges(): Promise<BridgeSnapshot[]>;
  /** What Asterisk says our app still holds: the base of a resync after a reconnect. */
  appState(): Promise<AppState>;
  /**
   * Receive state changes of these endpoints (`PJSIP/1001`) to track presence. Named endpoints
   * only: a whole-technology subscription would also deliver every caller's channel events twice.
   */
  subscribeEndpoints(endpoints: string[]): Promise<void>;
  endpointStates(technology: string): Promise<Array<{ resource: string; state: string }>>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
