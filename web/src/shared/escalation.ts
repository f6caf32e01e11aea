import type { ActiveEscalation } from '../../../src/wire/calls.ts';

/**
 * What a page knows of an escalation: id and state as soon as a live event or the escalate
 * answer names them, its times once the call is fetched again.
 */
export type KnownEscalation = Pick<ActiveEscalation, 'id' | 'state'> & Partial<Pick<ActiveEscalation, 'startedAt' | 'connectedAt'>>;
