/**
 * One-key escalation to the police (110) as a pure state machine. The caller and counsellor stay
 * bridged throughout; the police leg is dialled on each route in turn until one answers, hears a
 * short announcement, then joins the bridge. Every failure alerts supervisors at once.
 */

export type EscalationStatus = 'dialling' | 'announcing' | 'connected' | 'failed' | 'ended';

export interface EscalationAttempt {
  route: string;
  result: 'answered' | 'failed';
  cause?: string;
  at: string;
}

export interface EscalationState {
  id: string;
  callId: string;
  counsellorId: string | null;
  routes: string[];
  /** Index of the route being tried. */
  attempt: number;
  status: EscalationStatus;
  /** The police leg being dialled or connected. */
  legChannelId: string | null;
  startedAt: string;
  connectedAt: string | null;
  attempts: EscalationAttempt[];
  announce: boolean;
}

export type EscalationEvent =
  | { type: 'leg-answered'; legChannelId: string }
  | { type: 'leg-failed'; legChannelId: string; cause: string }
  | { type: 'announcement-done'; legChannelId: string }
  | { type: 'police-left'; legChannelId: string }
  | { type: 'caller-left' };

export type EscalationCommand =
  | { type: 'dial'; route: string; legChannelId: string }
  | { type: 'announce-to-police'; legChannelId: string }
  | { type: 'join-police'; legChannelId: string }
  | { type: 'hangup-leg'; legChannelId: string }
  | { type: 'start-recording' }
  /** Tell the counsellor in their ear (prompt id), never the caller. */
  | { type: 'tell-counsellor'; prompt: string }
  | { type: 'alert'; severity: 'warning' | 'critical'; code: string; message: string }
  | { type: 'finished'; outcome: 'connected-then-ended' | 'failed' | 'caller-left' };

export interface EscalationStep {
  state: EscalationState;
  commands: EscalationCommand[];
}

export function legChannelIdFor(escalationId: string, attempt: number): string {
  return `police-${escalationId}-${attempt}`;
}

export function startEscalation(
  input: { id: string; callId: string; counsellorId: string | null; routes: string[]; announce: boolean; record: boolean },
  now: Date,
): EscalationStep {
  if (input.routes.length === 0) throw new Error('escalation needs at least one route');
  const leg = legChannelIdFor(input.id, 0);
  const state: EscalationState = {
    id: input.id, callId: input.callId, counsellorId: input.counsellorId, routes: input.routes, attempt: 0, status: 'dialling',
    legChannelId: leg, startedAt: now.toISOString(), connectedAt: null, attempts: [], announce: input.announce,
  };
  return {
    state,
    commands: [...(input.record ? [{ type: 'start-recording' } as const] : []), { type: 'dial', route: input.routes[0] as string, legChannelId: leg }],
  };
}

function isCurrentLeg(state: EscalationState, leg: string): boolean {
  return state.legChannelId === leg;
}

export function handleEscalation(state: EscalationState, event: EscalationEvent, now: Date): EscalationStep {
  const at = now.toISOString();
  if (state.status === 'ended' || state.status === 'failed') return { state, commands: [] };
  switch (event.type) {
    case 'leg-answered': {
      // The current leg reported twice (a restart learnt of the answer before its event came): ignore.
      if (isCurrentLeg(state, event.legChannelId) && state.status !== 'dialling') return { state, commands: [] };
      if (!isCurrentLeg(state, event.legChannelId)) {
        return { state, commands: [{ type: 'hangup-leg', legChannelId: event.legChannelId }] };
      }
      const attempts = [...state.attempts, { route: state.routes[state.attempt] as string, result: 'answered' as const, at }];
      if (state.announce) {
        return { state: { ...state, status: 'announcing', attempts }, commands: [{ type: 'announce-to-police', legChannelId: event.legChannelId }] };
      }
      return join({ ...state, attempts }, event.legChannelId, at);
    }
    case 'announcement-done':
      if (state.status !== 'announcing' || !isCurrentLeg(state, event.legChannelId)) return { state, commands: [] };
      return join(state, event.legChannelId, at);
    case 'leg-failed': {
      if (!isCurrentLeg(state, event.legChannelId)) return { state, commands: [] };
      if (state.status === 'connected') return policeLeft(state);
      const attempts = [...state.attempts, { route: state.routes[state.attempt] as string, result: 'failed' as const, cause: event.cause, at }];
      const next = state.attempt + 1;
      if (next < state.routes.length) {
        const leg = legChannelIdFor(state.id, next);
        return {
          state: { ...state, attempt: next, legChannelId: leg, attempts, status: 'dialling' },
          commands: [
            { type: 'alert', severity: 'critical', code: 'escalation-route-failed', message: `110 线路 ${state.routes[state.attempt]} 未接通（${event.cause}），正在尝试 ${state.routes[next]}` },
            { type: 'tell-counsellor', prompt: 'escalation_retrying' },
            { type: 'dial', route: state.routes[next] as string, legChannelId: leg },
          ],
        };
      }
      return {
        state: { ...state, attempts, status: 'failed', legChannelId: null },
        commands: [
          { type: 'alert', severity: 'critical', code: 'escalation-failed', message: `所有 110 线路均未接通（${event.cause}），咨询员仍在陪伴来电者` },
          { type: 'tell-counsellor', prompt: 'escalation_failed' },
          { type: 'finished', outcome: 'failed' },
        ],
      };
    }
    case 'police-left':
      if (!isCurrentLeg(state, event.legChannelId)) return { state, commands: [] };
      if (state.status !== 'connected') return handleEscalation(state, { type: 'leg-failed', legChannelId: event.legChannelId, cause: 'hung up' }, now);
      return policeLeft(state);
    case 'caller-left':
      return {
        state: { ...state, status: 'ended' },
        commands: [
          ...(state.legChannelId ? [{ type: 'hangup-leg', legChannelId: state.legChannelId } as const] : []),
          { type: 'finished', outcome: state.status === 'connected' ? 'connected-then-ended' : 'caller-left' },
        ],
      };
  }
}

function join(state: EscalationState, leg: string, at: string): EscalationStep {
  return {
    state: { ...state, status: 'connected', connectedAt: at },
    commands: [{ type: 'join-police', legChannelId: leg }],
  };
}

function policeLeft(state: EscalationState): EscalationStep {
  return { state: { ...state, status: 'ended', legChannelId: null }, commands: [{ type: 'finished', outcome: 'connected-then-ended' }] };
}
