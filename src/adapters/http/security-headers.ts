import type { RequestHandler } from 'express';

/**
 * The Content-Security-Policy of the pages: scripts, styles and everything else only from this
 * origin (no inline script, no eval), nobody may frame them, and the only other place a page may
 * connect to is the PBX's WebSocket for the softphone (`extraConnect`, e.g. wss://pbx:8089).
 */
export function contentSecurityPolicy(extraConnect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    `connect-src ${["'self'", ...extraConnect].join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The WebSocket origin (scheme://host:port) the softphone connects to, for connect-src. */
export function webSocketOrigin(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/** Standard protective headers on every answer, pages and API alike. */
export function securityHeaders(csp: string): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('content-security-policy', csp);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('permissions-policy', 'microphone=(self), camera=(), geolocation=()');
    next();
  };
}
