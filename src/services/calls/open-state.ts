/**
 * A feature's open state of a call (an escalation, a transfer): the one in memory, else, on the
 * first event after a restart, the one stored with the call if it is still open (then kept).
 */
export function openStateOf<T>(active: Map<string, T>, callId: string, stored: T | null | undefined, isOpen: (s: T) => boolean): T | undefined {
  const known = active.get(callId);
  if (known) return known;
  if (stored && isOpen(stored)) active.set(callId, stored);
  return active.get(callId);
}
