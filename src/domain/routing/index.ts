/** The pure queue-matching domain: model, ordering, eligibility, strategies, matcher, counsellor state. */
export * from './types.ts';
export * from './ordering.ts';
export * from './eligibility.ts';
export * from './any-counsellor.ts';
export * from './strategies.ts';
export * from './matcher.ts';
export * from './counsellor-events.ts';
export * from './counsellor-state.ts';
