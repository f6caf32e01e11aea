import { HotlineError } from '../../errors.ts';

/** Stable codes for what the order machine refuses; their HTTP status is in src/wire/error-codes.ts. */
export type WorkOrderErrorCode =
  | 'order-illegal-transition' // the event does not apply in the order's state
  | 'order-already-closed' // anything but reopening a closed order
  | 'order-role-forbidden' // the actor's role may not send this event
  | 'order-wrong-centre' // centre staff acting on another centre's order
  | 'order-text-required' // a reason, note or result is missing
  | 'order-centre-unknown' // dispatch to a centre the directory does not have
  | 'order-discard-forbidden'; // an order the grade requires cannot be discarded by a counsellor

export class WorkOrderError extends HotlineError {
  constructor(
    override readonly code: WorkOrderErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}
