/**
 * Every error code the HTTP API sends, with its status and what it means. Routes and services
 * throw `HotlineError`s (src/errors.ts) whose status comes from here; docs/openapi.yaml lists the
 * same codes (schema `ErrorCode`), and tests/unit/error-codes.test.ts keeps the two equal.
 */
export const ERROR_CODES = {
  'invalid-request': { status: 400, description: 'The body, query or parameters failed validation, or the JSON body is malformed.' },
  'payload-too-large': { status: 413, description: 'The request body is over the 32 kB limit.' },
  'unsupported-media-type': { status: 415, description: 'The JSON body has a charset other than UTF-8, or a content encoding other than gzip, deflate or br.' },
  unauthenticated: { status: 401, description: 'No valid session, or a wrong user name or password at sign-in.' },
  forbidden: { status: 403, description: "The signed-in role may not do this; a counsellor acting on someone else's call; no number to reveal." },
  'no-such-route': { status: 404, description: 'No route for this method and path.' },
  'no-such-call': { status: 404, description: 'Unknown call (or, for counsellors, not their call).' },
  'no-such-callback': { status: 404, description: 'No pending callback with that job id.' },
  'no-such-counsellor': {
    status: 404,
    description: "Unknown counsellor, one outside a supervisor's view, or a counsellor-only route used by someone not on the roster as a counsellor.",
  },
  'no-such-waiting-caller': { status: 404, description: 'The call is not waiting in the queue.' },
  'no-such-monitor-session': { status: 404, description: 'Unknown monitoring session.' },
  'no-sip-account': { status: 404, description: 'The signed-in person has no phone (SIP user) on the roster.' },
  'call-not-connected': { status: 409, description: 'Escalation, transfer or monitoring of a call that has no counsellor connected.' },
  'same-counsellor': { status: 409, description: 'Transfer to the counsellor already on the call.' },
  'transfer-in-progress': { status: 409, description: 'A transfer is already running on this call: complete or cancel it first.' },
  'no-transfer': { status: 404, description: 'Complete or cancel asked of a call with no transfer running.' },
  'transfer-not-consulting': { status: 409, description: 'Complete asked before the colleague answered, or of a blind transfer: there is no consult to complete.' },
  'counsellor-not-available': {
    status: 409,
    description: 'Transfer to a counsellor who is not available; dialling a callback while not available, without a registered phone, or while being offered a call.',
  },
  'invalid-transition': { status: 409, description: "The counsellor state change is not allowed from the current status (e.g. pause while on a call)." },
  'call-mismatch': { status: 409, description: 'A counsellor state change names a call other than the one the counsellor has.' },
  'callback-taken': { status: 409, description: 'Another person claimed (or is dialling) that callback first.' },
  'too-many-attempts': {
    status: 429,
    description: 'Too many failed sign-ins for this user name or from this address: signing in is refused until the lockout ends. The Retry-After header (and details.retryAfterSec) gives the seconds to wait.',
  },
  'pbx-not-found': { status: 404, description: 'The PBX no longer has the channel or bridge an operation needed.' },
  'pbx-operation-failed': { status: 502, description: 'The PBX refused an operation.' },
  'pbx-unavailable': { status: 503, description: 'The PBX (Asterisk ARI) cannot be reached.' },
  'order-illegal-transition': { status: 409, description: "The work-order event does not apply in the order's state." },
  'order-already-closed': { status: 409, description: "Anything but reopening a closed work order." },
  'order-role-forbidden': { status: 403, description: "The signed-in role may not send this work-order event." },
  'order-wrong-centre': { status: 403, description: "Centre staff acting on another centre's work order." },
  'order-text-required': { status: 400, description: "A reason, note or result the work-order event needs is missing." },
  'order-centre-unknown': { status: 400, description: "Dispatch to a centre the directory does not have." },
  'order-discard-forbidden': { status: 403, description: "An order the case grade requires cannot be discarded by a counsellor." },
  'case-form-invalid': { status: 400, description: 'The case form cannot be saved (or kept as a draft): details.errors lists each field and why (a required field, an unknown category, a grade below the floor the call sets, an unknown area).' },
  'case-already-saved': { status: 409, description: "The call already has a saved case (submitted under another key)." },
  'case-not-found': { status: 404, description: "No case with that id." },
  'order-exists': { status: 409, description: "The case already has a work order." },
  'order-not-found': { status: 404, description: "No work order with that id." },
  'order-changed': { status: 409, description: "The work order changed since it was read (another person acted first); read it again." },
  'follow-up-not-found': { status: 404, description: "No follow-up call (回访) attempt with that id, or not one the counsellor made." },
  'follow-up-recorded': { status: 409, description: "The follow-up attempt's outcome is recorded already." },
  'follow-up-not-connected': { status: 409, description: "A counsellor records an outcome only for a follow-up call that reached the person (not-reached is recorded by the service)." },
  internal: { status: 500, description: 'Anything unexpected (logged; details are not exposed).' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes whose table status is `S`: lets an error class accept only codes that fit it. */
export type ErrorCodeWithStatus<S extends number> = {
  [C in ErrorCode]: (typeof ERROR_CODES)[C]['status'] extends S ? C : never;
}[ErrorCode];

/** The body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
