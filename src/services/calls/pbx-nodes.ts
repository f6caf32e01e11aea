/**
 * A PBX start time as the call router keeps it: one Asterisk's, or in a cluster every node's
 * (`ast1=<time>;ast2=<time>;ast3=down`, see ClusterTelephony). A call is affected only by its own
 * node's entry; its node is the systemname its id (the caller's channel id) starts with.
 */
export function startOfNode(startedAt: string, callId: string): string {
  if (!startedAt.includes('=')) return startedAt;
  const node = callId.split('-', 1)[0];
  for (const part of startedAt.split(';')) {
    const [id, time] = part.split('=', 2);
    if (id === node && time !== undefined) return time;
  }
  return startedAt;
}
