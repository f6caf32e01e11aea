/**
 * Turns a configured target into the RoutingRequest the queue consumes.
 */
import type { HotlineRules } from './hotline-rules.ts';
import { PRIORITY, type RoutingRequest } from '../calls/routing-request.ts';
import type { IvrState } from './ivr-types.ts';

/**
 * Builds the routing for `targetId`. An unknown id (impossible with a validated config) falls back
 * to the configured fallback target, then to "any counsellor": a caller must always reach a person.
 */
export function buildRouting(config: HotlineRules, state: Pick<IvrState, 'line' | 'language' | 'highRisk'>, targetId: string): RoutingRequest {
  const target = config.targets[targetId] ?? config.targets[config.ivr.fallbackTarget];
  return {
    line: state.line,
    need: target?.need ?? 'general',
    skills: [...(target?.skills ?? [])],
    language: state.language,
    priority: PRIORITY[target?.priority ?? 'normal'],
    highRisk: state.highRisk || (target?.highRisk ?? false),
    announce: [config.ivr.privacyNotice],
  };
}
