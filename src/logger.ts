import { pino, type Logger } from 'pino';

/** One root logger; every call gets a child carrying its call id, so one call's story is one grep. */
export function createLogger(level: string, name = 'hotline'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    redact: { paths: ['password', '*.password', 'authorization', 'req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  });
}

export type { Logger };
