import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { HotlineError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';

/** Every error leaves as JSON { error: { code, message } } with a stable code. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof HotlineError) {
      res.status(err.httpStatus).json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
      return;
    }
    if (err instanceof ZodError) {
      res.status(400).json({
        error: { code: 'invalid-request', message: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') },
      });
      return;
    }
    const status = (err as { status?: number; type?: string }).status;
    if (status && status >= 400 && status < 500) {
      // body-parser: malformed JSON, too large, wrong charset.
      res.status(status).json({ error: { code: 'invalid-request', message: (err as Error).message } });
      return;
    }
    log.error({ err }, 'unhandled HTTP error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'no-such-route', message: `no route ${req.method} ${req.path}` } });
};
