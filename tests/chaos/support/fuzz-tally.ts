import type { BodyKind, Credential } from '../../support/http-fuzz/bad-requests.ts';
import type { FuzzObserver } from '../../support/http-fuzz/run-fuzz.ts';

/** Counts of a fuzz run over HTTP (scenario 8): what was sent, what came back, what was wrong. */
export class FuzzTally {
  sent = 0;
  readonly byCredential = new Map<Credential, number>();
  readonly byBody = new Map<BodyKind, number>();
  oddPaths = 0;
  otherMethods = 0;
  readonly byStatus = new Map<number, number>();
  serverErrors = 0;
  /** Answers with an error body that is not the envelope, or whose code is not its status's. */
  badEnvelopes = 0;
  /** Answers whose status, code or content type the document does not give for the operation. */
  undocumented = 0;
  /** Operations that answered 2xx at least once: the requests reached their handlers. */
  readonly reached = new Set<string>();
  /** /healthz checks after a request that did not answer 200. */
  healthzFailed = 0;

  readonly observe: FuzzObserver = (op, req, res, problems, healthz) => {
    this.sent++;
    bump(this.byCredential, req.credential);
    bump(this.byBody, req.bodyKind);
    if (req.oddPath) this.oddPaths++;
    if (req.method !== op.method) this.otherMethods++;
    bump(this.byStatus, res.status);
    if (res.status >= 500) this.serverErrors++;
    if (res.status >= 200 && res.status < 300 && req.method === op.method) this.reached.add(op.key);
    if (problems.some((p) => p.kind === 'error envelope')) this.badEnvelopes++;
    if (problems.some((p) => p.kind === 'not documented')) this.undocumented++;
    if (healthz !== 200) this.healthzFailed++;
  };

  /** The figures for docs/reliability.md, label → value. */
  figures(): Record<string, string | number> {
    return {
      'requests sent (each followed by a GET /healthz)': this.sent,
      'sent with: no credentials / garbage credentials': `${this.byCredential.get('none') ?? 0} / ${this.byCredential.get('garbage') ?? 0}`,
      'sent as: counsellor / supervisor / admin / centre': (['counsellor', 'supervisor', 'admin', 'centre'] as const).map((r) => this.byCredential.get(r) ?? 0).join(' / '),
      ...Object.fromEntries([...this.byBody].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => [`body: ${k}`, n])),
      'odd path parameters (encodings, dot segments, NUL, up to 4,000 characters)': this.oddPaths,
      'another method than the documented one': this.otherMethods,
      'answers by status': [...this.byStatus].sort(([a], [b]) => a - b).map(([st, n]) => `${st}×${n}`).join(' '),
      'operations that answered 2xx at least once (requests got past validation)': this.reached.size,
      'answers with a 5xx': this.serverErrors,
      'answers not documented for the operation (status, code or content type)': this.undocumented,
      'error answers not in the envelope, or with a code of another status': this.badEnvelopes,
      '/healthz not 200 after a request': this.healthzFailed,
    };
  }
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}
