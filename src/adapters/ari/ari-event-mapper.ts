import type { TelephonyEvent } from '../../ports/telephony.ts';
import type { RawAriEvent } from './ari-events.ts';

interface AriChannel {
  id: string;
  name: string;
  state: string;
  caller?: { number?: string; name?: string };
  dialplan?: { exten?: string; context?: string };
}

/**
 * Callers enter Stasis from these contexts (dialplans/extensions.conf.tmpl) with the arguments
 * line, dialled number, mode, then the called number the carrier's headers carry
 * (P-Called-Party-ID, else Diversion: the dialplan reads them, digits only).
 */
const CALLER_CONTEXTS = new Set(['hotline-entry', 'hotline-fallback']);
const CARRIER_CALLED_ARG = 3;

/**
 * The ARI event types `mapAriEvent` uses. The app's event filter allows only these, so Asterisk
 * does not encode and send the rest (variable sets, dialplan steps, bridge and playback starts).
 */
export const USED_ARI_EVENTS = [
  'StasisStart', 'StasisEnd', 'ChannelDestroyed', 'ChannelStateChange', 'ChannelDtmfReceived', 'PlaybackFinished',
  'EndpointStateChange', 'Dial',
] as const;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Maps a raw ARI event to our port's event, or null for events we do not use. */
export function mapAriEvent(e: RawAriEvent): TelephonyEvent | null {
  const channel = e.channel as AriChannel | undefined;
  switch (e.type) {
    case 'StasisStart': {
      if (!channel) return null;
      const args = Array.isArray(e.args) ? e.args.map(String) : [];
      const called = CALLER_CONTEXTS.has(str(channel.dialplan?.context)) ? str(args[CARRIER_CALLED_ARG]) : '';
      return {
        type: 'channel-entered',
        channelId: channel.id,
        channelName: channel.name,
        args,
        caller: { number: str(channel.caller?.number), name: str(channel.caller?.name) },
        dialled: str(channel.dialplan?.exten),
        state: channel.state,
        ...(called ? { carrierCalled: [called] } : {}),
      };
    }
    case 'StasisEnd':
      return channel ? { type: 'channel-left', channelId: channel.id } : null;
    case 'ChannelDestroyed':
      return channel
        ? { type: 'channel-destroyed', channelId: channel.id, cause: Number(e.cause ?? 0), causeText: str(e.cause_txt) }
        : null;
    case 'ChannelStateChange':
      return channel ? { type: 'channel-state', channelId: channel.id, state: channel.state } : null;
    case 'ChannelDtmfReceived':
      return channel ? { type: 'dtmf', channelId: channel.id, digit: str(e.digit) } : null;
    case 'PlaybackFinished': {
      const pb = e.playback as { id?: string; state?: string } | undefined;
      return pb?.id ? { type: 'playback-finished', playbackId: pb.id, state: str(pb.state) } : null;
    }
    case 'EndpointStateChange': {
      const ep = e.endpoint as { technology?: string; resource?: string; state?: string } | undefined;
      if (!ep?.resource) return null;
      const state = ep.state === 'online' ? 'online' : ep.state === 'offline' ? 'offline' : 'unknown';
      return { type: 'endpoint-state', technology: str(ep.technology), resource: ep.resource, state };
    }
    case 'Dial': {
      const peer = e.peer as AriChannel | undefined;
      return peer ? { type: 'dial', channelId: peer.id, status: str(e.dialstatus) } : null;
    }
    default:
      return null;
  }
}
