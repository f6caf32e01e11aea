/**
 * Why a counsellor's phone stopped ringing, from the hang-up cause Asterisk reports (Q.850 text):
 * the person did not answer, or the PBX or network could not ring them at all. Only the first is
 * a miss that counts toward pausing a counsellor; a flood that exhausts the PBX's RTP ports must
 * not leave every counsellor paused once it is over.
 */
const PBX_SIDE = /temporar|congestion|resource unavailable|network out of order|no circuit|channel unavailable|interworking|no route/i;

export function ringFailedOnPbxSide(causeText: string): boolean {
  return PBX_SIDE.test(causeText);
}
