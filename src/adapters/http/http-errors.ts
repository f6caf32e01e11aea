import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { HotlineError, TooManyAttemptsError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../../wire/error-codes.ts';

/** Sends the error envelope, with the status ERROR_CODES gives the code. */
export function sendError(res: Response, code: ErrorCode, message: string, opts: { details?: Record<string, unknown> } = {}): void {
  const body: ErrorBody = { error: { code, message, ...(opts.details ? { details: opts.details } : {}) } };
  res.status(ERROR_CODES[code].status).json(body);
}

/** The 4xx errors of express itself (JSON body parser, undecodable path parameters), by status. */
const EXPRESS_4XX: Record<number, ErrorCode> = { 413: 'payload-too-large', 415: 'unsupported-media-type' };

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
      // Malformed JSON, a body too large, an unsupported charset, a path parameter that does not decode.
      sendError(res, EXPRESS_4XX[status] ?? 'invalid-request', (err as Error).message);
      return;
    }
    log.error({ err }, 'unhandled HTTP error');
    sendError(res, 'internal', 'internal error');
  };
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, 'no-such-route', `no route ${req.method} ${req.path}`);
};

/**
 * OPTIONS is served by no route: without this, each express router answers it itself with
 * 200 and an Allow list (undocumented, and outside the error envelope).
 */
export const noAutomaticOptions: RequestHandler = (req, res, next) => {
  if (req.method === 'OPTIONS') notFound(req, res, next);
  else next();
};
