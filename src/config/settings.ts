import { z } from 'zod';

/**
 * Settings from the environment, validated at start. A wrong or missing value stops the
 * service with a message that names the variable (see formatSettingsError).
 */

const loopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');
const WEAK_PASSWORDS = new Set(['asterisk', 'password', 'secret', 'changeme', 'admin', '1234', 'hotline']);

const password = z
  .string({ required_error: 'is required (set it in the environment or the secrets file)' })
  .min(12, 'must be at least 12 characters')
  .refine((v) => !WEAK_PASSWORDS.has(v.toLowerCase()), 'is a well-known default password; choose another');

const port = z.coerce.number().int().min(1).max(65535);

export const settingsSchema = z
  .object({
    HOTLINE_PROFILE: z.enum(['production', 'demo', 'test']).default('production'),
    HOTLINE_CONFIG: z.string().default('config/hotline.yaml'),
    HOTLINE_ROSTER: z.string().default('config/roster.demo.yaml'),
    HOTLINE_SECRETS_FILE: z.string().optional(),
    HOTLINE_SOUNDS_DIR: z.string().default('var/sounds'),
    HOTLINE_RECORDINGS_DIR: z.string().default('var/recordings'),
    /** Pins the service clock's start (ISO 8601); used by tests and demos of seasonal lines. */
    HOTLINE_NOW: z.string().datetime({ offset: true }).optional(),
    ARI_URL: z.string().url().default('http://127.0.0.1:8088'),
    ARI_USER: z.string().min(1).default('hotline'),
    ARI_PASSWORD: password,
    ARI_APP: z.string().regex(/^[a-z0-9_-]+$/i, 'must be letters, digits, - or _').default('hotline'),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z.string().min(1).default('hotline'),
    DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/hotline'),
    HTTP_BIND: z.string().min(1).default('127.0.0.1'),
    HTTP_PORT: port.default(8080),
    /** Certificate chain and private key (PEM): with both, the pages and API are served over HTTPS. */
    HTTP_TLS_CERT_FILE: z.string().min(1).optional(),
    HTTP_TLS_KEY_FILE: z.string().min(1).optional(),
    /** Express "trust proxy": behind a reverse proxy, whose X-Forwarded-For/-Proto to believe (e.g. "loopback"). */
    HTTP_TRUST_PROXY: z.string().min(1).optional(),
    /** "always": the session cookie is Secure on every answer; "auto": when the request came over TLS. */
    HTTP_SECURE_COOKIE: z.enum(['auto', 'always']).default('auto'),
    /** Sign-in lockout: failures within SIGN_IN_WINDOW_MIN that lock a user name / a client address for SIGN_IN_LOCK_MIN. */
    SIGN_IN_MAX_FAILURES_USER: z.coerce.number().int().min(1).max(1000).default(5),
    SIGN_IN_MAX_FAILURES_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(20),
    SIGN_IN_WINDOW_MIN: z.coerce.number().int().min(1).max(1440).default(15),
    SIGN_IN_LOCK_MIN: z.coerce.number().int().min(1).max(1440).default(15),
    /** The WebSocket URL browsers' softphones use (wss://host:8089/ws); by default Asterisk's, from ARI_URL. */
    SIP_WS_URL: z.string().url().regex(/^wss?:/, 'must be a ws: or wss: URL').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Dial strings of the emergency trunks, tried in order. */
    EMERGENCY_DIAL: z.string().default('PJSIP/emergency'),
    EMERGENCY_FALLBACK_DIAL: z.string().default('PJSIP/emergency-fallback'),
    /** Dial string for calling a caller back through the carrier; {number} is the caller's number. */
    CALLBACK_DIAL: z.string().includes('{number}').default('PJSIP/{number}@carrier-out'),
    HOTLINE_SESSION_SECRET: z.string().min(16).optional(),
    /**
     * Cluster: every Asterisk node as `id=url` pairs, comma separated (`ast1=http://127.0.1.1:8088,...`);
     * the id is the node's systemname. Unset: one Asterisk at ARI_URL, as always.
     */
    ARI_NODES: z.string().regex(/^[a-z][a-z0-9]*=https?:\/\/[^,=\s]+(,[a-z][a-z0-9]*=https?:\/\/[^,=\s]+)*$/, 'must be id=url pairs, comma separated').optional(),
    /** Cluster: the Asterisk endpoint counsellors' phones are rung through (the SIP edge, `edge`). */
    PHONES_VIA: z.string().regex(/^[a-z][a-z0-9-]*$/).optional(),
    /** Cluster: Kamailio's JSON-RPC URL; who is registered (presence) is read from it. */
    KAMAILIO_RPC_URL: z.string().url().optional(),
    /** Cluster: how long the telephony lease lasts without renewal (ms); the standby takes over after it. */
    CLUSTER_LEASE_MS: z.coerce.number().int().min(1000).max(60_000).default(3000),
    /** Case categories, grades, deadlines, retention (config/cases.yaml) and the centre directory. */
    HOTLINE_CASES_CONFIG: z.string().default('config/cases.yaml'),
    HOTLINE_CENTRES_CONFIG: z.string().default('config/centres.yaml'),
    /** HMAC secret linking repeat callers (at least 32 characters); else the secrets file's `callerKeySecret`. */
    HOTLINE_CALLER_KEY_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** SMTP relay for e-mail to centres (smtp://user:pass@host:587, smtps://…:465); unset: no e-mail. */
    SMTP_URL: z.string().url().regex(/^smtps?:/, 'must be an smtp: or smtps: URL').optional(),
    SMTP_FROM: z.string().min(3).default('12355 工单 <no-reply@hotline12355.invalid>'),
    /** How long an outbox claim holds a message (longer than the slowest send), and the idle poll. */
    ORDER_DELIVERY_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
    ORDER_DELIVERY_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  })
  .superRefine((s, ctx) => {
    const ariHost = new URL(s.ARI_URL).hostname;
    if (!loopback(ariHost) && !s.ARI_URL.startsWith('https:')) {
      ctx.addIssue({ code: 'custom', path: ['ARI_URL'], message: 'must use https when Asterisk is not on loopback' });
    }
    for (const [id, url] of s.ARI_NODES ? ariNodes(s) : []) {
      if (!URL.canParse(url)) continue; // the list's own check names it
      if (!loopback(new URL(url).hostname) && !url.startsWith('https:')) {
        ctx.addIssue({ code: 'custom', path: ['ARI_NODES'], message: `${id} must use https when Asterisk is not on loopback` });
      }
    }
    if (Boolean(s.HTTP_TLS_CERT_FILE) !== Boolean(s.HTTP_TLS_KEY_FILE)) {
      ctx.addIssue({ code: 'custom', path: [s.HTTP_TLS_CERT_FILE ? 'HTTP_TLS_KEY_FILE' : 'HTTP_TLS_CERT_FILE'], message: 'is required with the other TLS file' });
    }
    // An HTTPS page may not open ws:// (mixed content): the softphone would never register.
    const wsUrl = s.SIP_WS_URL ?? (s.ARI_URL.startsWith('https:') ? 'wss:' : 'ws:');
    if (s.HTTP_TLS_CERT_FILE && !wsUrl.startsWith('wss:')) {
      ctx.addIssue({ code: 'custom', path: ['SIP_WS_URL'], message: 'must be a wss:// URL when the pages are served over HTTPS (HTTP_TLS_CERT_FILE)' });
    }
    if (!loopback(s.HTTP_BIND) && !s.HOTLINE_SECRETS_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOTLINE_SECRETS_FILE'],
        message: 'is required when HTTP_BIND listens beyond loopback (no generated demo passwords off-host)',
      });
    }
  });

export type Settings = z.infer<typeof settingsSchema>;

/** The Asterisk nodes as [id, ARI url]: ARI_NODES, or the one Asterisk at ARI_URL (id `pbx`). */
export function ariNodes(s: Pick<Settings, 'ARI_NODES' | 'ARI_URL'>): Array<[string, string]> {
  if (!s.ARI_NODES) return [['pbx', s.ARI_URL]];
  return s.ARI_NODES.split(',').map((pair) => pair.split('=', 2) as [string, string]);
}

export class SettingsError extends Error {
  readonly code = 'settings-invalid';
  constructor(readonly issues: string[]) {
    super(`Invalid settings:\n  - ${issues.join('\n  - ')}`);
  }
}

export function loadSettings(env: Record<string, string | undefined>): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new SettingsError(parsed.error.issues.map((i) => `${i.path.join('.') || '(settings)'} ${i.message}`));
}
