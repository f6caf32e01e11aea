/**
 * Typed errors with stable, machine-readable codes. The HTTP layer maps `httpStatus`;
 * logs and API clients match on `code`, never on the message.
 */
export class HotlineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 500,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A resource the PBX no longer has (channel hung up, bridge gone). Usually benign during cleanup. */
export class PbxNotFoundError extends HotlineError {
  constructor(what: string) {
    super('pbx-not-found', `${what} not found on the PBX`, 404);
  }
}

/** The PBX refused or failed an operation. */
export class PbxOperationError extends HotlineError {
  constructor(operation: string, status: number, body: string) {
    super('pbx-operation-failed', `${operation} failed with HTTP ${status}: ${body}`, 502, { status });
  }
}

/** The PBX could not be reached at all. */
export class PbxUnavailableError extends HotlineError {
  constructor(cause: string) {
    super('pbx-unavailable', `PBX unreachable: ${cause}`, 503);
  }
}

export class NotFoundError extends HotlineError {
  constructor(code: string, message: string) {
    super(code, message, 404);
  }
}

export class ValidationError extends HotlineError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid-request', message, 400, details);
  }
}

export class AuthError extends HotlineError {
  constructor(code: 'unauthenticated' | 'forbidden', message: string) {
    super(code, message, code === 'unauthenticated' ? 401 : 403);
  }
}

export class ConflictError extends HotlineError {
  constructor(code: string, message: string) {
    super(code, message, 409);
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof PbxNotFoundError;
}
