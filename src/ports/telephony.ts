/**
 * The telephony port: everything the services need from the PBX, in our own words.
 * The ARI adapter implements it against Asterisk; unit tests use an in-memory fake.
 */

export interface CallerInfo {
  number: string;
  name: string;
}

export type TelephonyEvent =
  /** A channel entered our Stasis app (inbound call, answered originate, or snoop). */
  | { type: 'channel-entered'; channelId: string; channelName: string; args: string[]; caller: CallerInfo; dialled: string; state: string }
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

export interface OriginateRequest {
  /** Channel id we choose, so events can be matched before the originate returns. */
  channelId: string;
  /** Dial string, e.g. PJSIP/1001 or PJSIP/110@emergency. */
  endpoint: string;
  appArgs: string[];
  callerId?: string;
  timeoutSec: number;
  /** Channel variables; header-setting variables like PJSIP_HEADER(add,X-...) are allowed. */
  variables?: Record<string, string>;
}

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
  /** Start one playback of one or more media URIs (sound:..., tone:...). */
  play(target: { channelId: string } | { bridgeId: string }, media: string[], playbackId: string): Promise<void>;
  stopPlayback(playbackId: string): Promise<void>;
  startMoh(channelId: string, mohClass: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;
  ring(channelId: string): Promise<void>;
  createBridge(bridgeId: string, type: 'holding' | 'mixing', name: string): Promise<void>;
  destroyBridge(bridgeId: string): Promise<void>;
  addToBridge(bridgeId: string, channelIds: string[], role?: string): Promise<void>;
  removeFromBridge(bridgeId: string, channelIds: string[]): Promise<void>;
  startBridgeMoh(bridgeId: string, mohClass: string): Promise<void>;
  originate(request: OriginateRequest): Promise<void>;
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
