/**
 * Channel ids the service gives the legs it originates: offers to counsellors (`offer-`), 110
 * (`police-`), colleagues in a transfer (`colleague-`), supervisors' phones (`sup-`), snoops
 * (`snoop-`) and both legs of a callback dialled out (`dialback-`). Callers' channels carry
 * Asterisk's own ids, so a leg is never taken for a caller.
 */
const ORIGINATED_LEG = /^(offer|police|colleague|sup|snoop|dialback)-/;

export function isOriginatedLeg(channelId: string): boolean {
  return ORIGINATED_LEG.test(channelId);
}
