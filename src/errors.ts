import { ERROR_CODES, type ErrorCode, type ErrorCodeWithStatus } from './wire/error-codes.ts';

/**
 * Typed errors with stable, machine-readable codes. The code's entry in ERROR_CODES gives the
 * HTTP status; logs and API clients match on `code`, never on the message.
 */
export class HotlineError extends Error {
  readonly httpStatus: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
    this.httpStatus = ERROR_CODES[code].status;
  }
}

/** A resource the PBX no longer has (channel hung up, bridge gone). Usually benign during cleanup. */
export class PbxNotFoundError extends HotlineError {
  constructor(what: string) {
    super('pbx-not-found', `${what} not found on the PBX`);
  }
}

/** The PBX refused or failed an operation. */
export class PbxOperationError extends HotlineError {
  constructor(operation: string, status: number, body: string) {
    super('pbx-operation-failed', `${operation} failed with HTTP ${status}: ${body}`, { status });
  }
}

/** The PBX could not be reached at all. */
export class PbxUnavailableError extends HotlineError {
  constructor(cause: string) {
    super('pbx-unavailable', `PBX unreachable: ${cause}`);
  }
}

/** Only codes the table gives 404 fit, so the class and the table cannot disagree. */
export class NotFoundError extends HotlineError {
  constructor(code: ErrorCodeWithStatus<404>, message: string) {
    super(code, message);
  }
}

export class ValidationError extends HotlineError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid-request', message, details);
  }
}

export class AuthError extends HotlineError {
  constructor(code: ErrorCodeWithStatus<401 | 403>, message: string) {
    super(code, message);
  }
}

/** Sign-in refused while a user name or client address is locked out after failed sign-ins. */
export class TooManyAttemptsError extends HotlineError {
  readonly retryAfterSec: number;

  constructor(retryAfterMs: number) {
    const retryAfterSec = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super('too-many-attempts', `too many failed sign-ins; try again in ${retryAfterSec} s`, { retryAfterSec });
    this.retryAfterSec = retryAfterSec;
  }
}

export class ConflictError extends HotlineError {
  constructor(code: ErrorCodeWithStatus<409>, message: string) {
    super(code, message);
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof PbxNotFoundError;
}
