import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { HotlineError, TooManyAttemptsError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../../wire/error-codes.ts';

/**
 * Sends the error envelope. The status is the code's from ERROR_CODES unless given: the JSON
 * body parser's own 4xx statuses (413, 415) are kept.
 */
export function sendError(res: Response, code: ErrorCode, message: string, opts: { status?: number; details?: Record<string, unknown> } = {}): void {
  const body: ErrorBody = { error: { code, message, ...(opts.details ? { details: opts.details } : {}) } };
  res.status(opts.status ?? ERROR_CODES[code].status).json(body);
}

/** Every error leaves as JSON { error: { code, message } } with a stable code. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof TooManyAttemptsError) res.setHeader('retry-after', String(err.retryAfterSec));
    if (err instanceof HotlineError) {
      sendError(res, err.code, err.message, err.details ? { details: err.details } : {});
      return;
    }
    if (err instanceof ZodError) {
      sendError(res, 'invalid-request', err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      return;
    }
    const status = (err as { status?: number; type?: string }).status;
    if (status && status >= 400 && status < 500) {
      // body-parser: malformed JSON, too large, wrong charset.
      sendError(res, 'invalid-request', (err as Error).message, { status });
      return;
    }
    log.error({ err }, 'unhandled HTTP error');
    sendError(res, 'internal', 'internal error');
  };
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, 'no-such-route', `no route ${req.method} ${req.path}`);
};
