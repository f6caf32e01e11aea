/**
 * Handing a caller over to a colleague, as a pure state machine. The caller is never left alone:
 * from the start of a transfer they are on hold (music), and every way out of it puts them with
 * someone — the colleague, their own counsellor, or the front of the queue.
 *
 *  - 'warm' (咨询后转接): the colleague rings; once they answer, they and the counsellor talk
 *    (the consult) while the caller holds. The counsellor then completes (the caller joins the
 *    colleague, the counsellor goes to wrap-up) or cancels (the colleague is let go, the caller is
 *    back with the counsellor).
 *  - 'blind' (直接转接): the caller is handed to the colleague as soon as they answer.
 *
 * A colleague who does not answer, declines or hangs up brings the caller back to the counsellor,
 * or, when the counsellor has left meanwhile, to the front of the queue.
 */

export type TransferMode = 'warm' | 'blind';

/** ringing → consulting (warm only) → one of the three ends. */
export type TransferStatus = 'ringing' | 'consulting' | 'completed' | 'cancelled' | 'failed';

/** Why a transfer ended. */
export type TransferOutcome = 'completed' | 'cancelled' | 'colleague-unavailable' | 'caller-left';

/** Where the caller is: what the invariants are about. */
export type CallerWhere = 'on-hold' | 'with-counsellor' | 'with-colleague' | 'queued' | 'gone';

export interface TransferState {
  id: string;
  callId: string;
  mode: TransferMode;
  colleagueId: string;
  /** The colleague's leg (rung, then in the consult or the call). */
  colleagueLeg: string;
  status: TransferStatus;
  /** Whether the call's own counsellor is still on it. */
  counsellorOn: boolean;
  /** Whether the colleague answered (their part ends as a call, not as a missed offer). */
  colleagueAnswered: boolean;
  caller: CallerWhere;
  outcome: TransferOutcome | null;
}

export type TransferEvent =
  | { type: 'colleague-answered' }
  /** The colleague's leg ended: declined, busy, unreachable, or hung up during the consult. */
  | { type: 'colleague-gone'; cause: string }
  /** Our own guard: the colleague's phone rang too long. */
  | { type: 'ring-timeout' }
  /** The counsellor ends the consult by handing the caller over (warm). */
  | { type: 'complete' }
  /** The counsellor (or a supervisor) calls the transfer off. */
  | { type: 'cancel' }
  | { type: 'caller-gone' }
  | { type: 'counsellor-gone' };

export type TransferCommand =
  /** The caller waits in a holding bridge of their own with music on hold. */
  | { type: 'hold-caller' }
  | { type: 'ring-colleague'; leg: string }
  /** The colleague's answered leg joins the call's bridge (with the counsellor, or with the caller after unhold). */
  | { type: 'join-colleague'; leg: string }
  /** The caller back into the call's bridge; their holding bridge goes. */
  | { type: 'unhold-caller' }
  | { type: 'hangup-colleague'; leg: string }
  /** The counsellor's part in the call ends (their leg hung up when still there): wrap-up. */
  | { type: 'release-counsellor'; hangup: boolean }
  /** The colleague becomes the call's counsellor. */
  | { type: 'promote-colleague'; leg: string }
  /** Nobody is left to take the caller: the front of the queue (original entry time, raised priority). */
  | { type: 'requeue-caller' }
  | { type: 'finished'; outcome: TransferOutcome };

export type TransferRefusal = 'transfer-not-consulting' | 'transfer-over';

export interface TransferStep {
  state: TransferState;
  commands: TransferCommand[];
  /** Set when the event was a request (complete, cancel) the transfer cannot take now. */
  refused?: TransferRefusal;
}

export const TRANSFER_EVENT_TYPES: ReadonlyArray<TransferEvent['type']> = [
  'colleague-answered', 'colleague-gone', 'ring-timeout', 'complete', 'cancel', 'caller-gone', 'counsellor-gone',
];

export const isTransferOpen = (s: TransferState): boolean => s.status === 'ringing' || s.status === 'consulting';

export function startTransfer(input: { id: string; callId: string; mode: TransferMode; colleagueId: string; colleagueLeg: string }): TransferStep {
  return {
    state: { ...input, status: 'ringing', counsellorOn: true, colleagueAnswered: false, caller: 'on-hold', outcome: null },
    commands: [{ type: 'hold-caller' }, { type: 'ring-colleague', leg: input.colleagueLeg }],
  };
}

export function handleTransfer(state: TransferState, event: TransferEvent): TransferStep {
  const leg = state.colleagueLeg;
  if (!isTransferOpen(state)) {
    // Over: a colleague answering this late (the call was cancelled as they picked up) is let go.
    if (event.type === 'colleague-answered') return { state, commands: [{ type: 'hangup-colleague', leg }] };
    if (event.type === 'complete' || event.type === 'cancel') return { state, commands: [], refused: 'transfer-over' };
    return { state, commands: [] };
  }
  switch (event.type) {
    case 'colleague-answered': {
      if (state.status !== 'ringing') return { state, commands: [] };
      const answered = { ...state, colleagueAnswered: true };
      // Consult only when there is a counsellor to consult with; otherwise hand straight over.
      if (state.mode === 'warm' && state.counsellorOn) {
        return { state: { ...answered, status: 'consulting' }, commands: [{ type: 'join-colleague', leg }] };
      }
      return handOver(answered, [{ type: 'join-colleague', leg }]);
    }
    case 'ring-timeout':
      // A guard that fired just as the colleague answered: the consult goes on.
      if (state.status !== 'ringing') return { state, commands: [] };
      return end(state, 'failed', 'colleague-unavailable', [{ type: 'hangup-colleague', leg }]);
    case 'colleague-gone':
      return end(state, 'failed', 'colleague-unavailable', [{ type: 'hangup-colleague', leg }]);
    case 'complete':
      if (state.status !== 'consulting') return { state, commands: [], refused: 'transfer-not-consulting' };
      return handOver(state, []);
    case 'cancel':
      return end(state, 'cancelled', 'cancelled', [{ type: 'hangup-colleague', leg }]);
    case 'counsellor-gone':
      // Mid-consult the counsellor hanging up means "put them through", as on a desk phone.
      if (state.status === 'consulting') return handOver({ ...state, counsellorOn: false }, [{ type: 'release-counsellor', hangup: false }]);
      if (!state.counsellorOn) return { state, commands: [] };
      return { state: { ...state, counsellorOn: false }, commands: [{ type: 'release-counsellor', hangup: false }] };
    case 'caller-gone':
      // The counsellor's part ends with the call as on any call (the queue releases it).
      return {
        state: { ...state, status: 'cancelled', caller: 'gone', outcome: 'caller-left' },
        commands: [{ type: 'hangup-colleague', leg }, { type: 'finished', outcome: 'caller-left' }],
      };
  }
}

/** The caller joins the colleague, who becomes the call's counsellor; the counsellor leaves. */
function handOver(state: TransferState, first: TransferCommand[]): TransferStep {
  return {
    state: { ...state, status: 'completed', counsellorOn: false, caller: 'with-colleague', outcome: 'completed' },
    commands: [
      ...first,
      ...(state.counsellorOn ? [{ type: 'release-counsellor', hangup: true } as const] : []),
      { type: 'unhold-caller' },
      { type: 'promote-colleague', leg: state.colleagueLeg },
      { type: 'finished', outcome: 'completed' },
    ],
  };
}

/** Without the colleague: back with the counsellor if they are on, or else the front of the queue. */
function end(state: TransferState, status: 'failed' | 'cancelled', outcome: TransferOutcome, first: TransferCommand[]): TransferStep {
  const back: TransferCommand = state.counsellorOn ? { type: 'unhold-caller' } : { type: 'requeue-caller' };
  return {
    state: { ...state, status, caller: state.counsellorOn ? 'with-counsellor' : 'queued', outcome },
    commands: [...first, back, { type: 'finished', outcome }],
  };
}
