import { parseTrace } from '../../../bench/bench-sipp.ts';
import { openDatabase } from '../../../src/adapters/storage/database.ts';
import { e2eDatabaseUrl } from '../../e2e/support/service.ts';

/**
 * What happened to each call of a SIPp caller load, judged from the callers' trace (who sent the
 * BYE) and the call records in PostgreSQL (connected to a counsellor? outcome?). A call failed by
 * the system is one SIPp counted as failed, one the service never recorded, one handed to the
 * dialplan fallback, or one the hotline hung up on before any counsellor talked to the caller
 * (a callback the caller booked excepted: the hotline ends that call after confirming it).
 */

export interface CallRow { callId: string; callerNumber: string; connected: boolean; outcome: string | null; ended: boolean }

export async function callRows(since: string, numberPrefix: string): Promise<CallRow[]> {
  const db = await openDatabase(e2eDatabaseUrl());
  try {
    const { rows } = await db.query<{ call_id: string; caller_number: string; connected_at: Date | null; outcome: string | null; ended_at: Date | null }>(
      'SELECT call_id, caller_number, connected_at, outcome, ended_at FROM calls WHERE started_at >= $1 AND caller_number LIKE $2', [since, `${numberPrefix}%`]);
    return rows.map((r) => ({ callId: r.call_id, callerNumber: r.caller_number, connected: r.connected_at !== null, outcome: r.outcome, ended: r.ended_at !== null }));
  } finally {
    await db.end();
  }
}

/** Queue events of `type` since `since` whose data names `cause`. */
export async function eventsWithCause(since: string, type: string, cause: string): Promise<number> {
  const db = await openDatabase(e2eDatabaseUrl());
  try {
    const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM queue_events WHERE at >= $1 AND type = $2 AND data->>'cause' = $3", [since, type, cause]);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await db.end();
  }
}

/** Counts by type of the queue events and escalations since `since`. */
export async function eventCounts(since: string): Promise<{ queue: Record<string, number>; escalations: Record<string, number> }> {
  const db = await openDatabase(e2eDatabaseUrl());
  try {
    const q = await db.query<{ type: string; n: string }>('SELECT type, count(*) AS n FROM queue_events WHERE at >= $1 GROUP BY type', [since]);
    const e = await db.query<{ status: string; n: string }>("SELECT coalesce(outcome, 'open') AS status, count(*) AS n FROM escalations WHERE started_at >= $1 GROUP BY 1", [since]);
    return {
      queue: Object.fromEntries(q.rows.map((r) => [r.type, Number(r.n)])),
      escalations: Object.fromEntries(e.rows.map((r) => [r.status, Number(r.n)])),
    };
  } finally {
    await db.end();
  }
}

/** SIPp call number (the start of its Call-ID) of every call that received a BYE from the PBX. */
export function callsByeReceived(trace: string): Set<string> {
  const out = new Set<string>();
  for (const m of parseTrace(trace)) {
    if (m.direction === 'received' && m.firstLine.startsWith('BYE ')) out.add(m.callId.split('-')[0] ?? '');
  }
  return out;
}

export interface LoadVerdict {
  placed: number;
  recorded: number;
  reachedCounsellor: number;
  callbacksBooked: number;
  sippFailed: number;
  neverRecorded: number;
  handedToDialplan: number;
  hungUpBySystem: number;
  recordsOpen: number;
  /** Sum of the four kinds of failure above (must be 0). */
  failedBySystem: number;
  byTag: Record<string, { calls: number; reached: number }>;
}

/** Caller numbers are `${prefix}<tag digit><SIPp call number>` (see load-sipp-xml.ts). */
export function judge(rows: CallRow[], stats: Record<string, string>, byeReceived: Set<string>, prefix: string): LoadVerdict {
  const n = (k: string) => Number(stats[k] ?? 0);
  const placed = n('TotalCallCreated');
  const sippFailed = n('FailedCall(C)');
  let hungUpBySystem = 0;
  const byTag: LoadVerdict['byTag'] = {};
  let handedToDialplan = 0;
  for (const r of rows) {
    const tag = r.callerNumber.slice(prefix.length, prefix.length + 1);
    const t = (byTag[tag] ??= { calls: 0, reached: 0 });
    t.calls++;
    if (r.connected) t.reached++;
    const how = howFailed(r, byeReceived, prefix);
    if (how === 'handed to the dialplan') handedToDialplan++;
    else if (how) hungUpBySystem++;
  }
  const neverRecorded = Math.max(0, placed - rows.length);
  return {
    placed, recorded: rows.length, reachedCounsellor: rows.filter((r) => r.connected).length,
    callbacksBooked: rows.filter((r) => r.outcome === 'callback-requested').length,
    sippFailed, neverRecorded, handedToDialplan, hungUpBySystem, recordsOpen: rows.filter((r) => !r.ended).length,
    failedBySystem: sippFailed + neverRecorded + handedToDialplan + hungUpBySystem, byTag,
  };
}

/** How the system failed a recorded call (judge()'s rules), or undefined when it did not. */
function howFailed(r: CallRow, byeReceived: Set<string>, prefix: string): string | undefined {
  if (r.outcome === 'handed-to-dialplan' || r.outcome === 'failed') return 'handed to the dialplan';
  if (!r.connected && r.outcome !== 'callback-requested' && byeReceived.has(r.callerNumber.slice(prefix.length + 1))) return `hung up on (${r.outcome ?? 'no outcome'})`;
  return undefined;
}

/** `<call id> <caller number>: <how>` for each recorded call the system failed, to find it in the service's log. */
export function failedCalls(rows: CallRow[], byeReceived: Set<string>, prefix: string): string[] {
  return rows.flatMap((r) => {
    const how = howFailed(r, byeReceived, prefix);
    return how ? [`${r.callId} ${r.callerNumber}: ${how}`] : [];
  });
}

/** SIPp's failure counters that are not zero ("FailedCall(C)" and its causes). */
export function sippFailures(stats: Record<string, string>): string {
  const parts = Object.entries(stats).filter(([k, v]) => k.startsWith('Failed') && k.endsWith('(C)') && Number(v) > 0).map(([k, v]) => `${k.replace('(C)', '')} ${v}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** The figures every load scenario reports the same way, from its verdict and what was left behind. */
export function loadFigures(v: LoadVerdict, left: { channels: number; bridges: number; redisKeys: number; jobs: number }, stats: Record<string, string>) {
  return {
    callers: v.placed,
    reachedCounsellor: v.reachedCounsellor,
    hungUpBySystem: v.hungUpBySystem,
    lostPlace: 0,
    leftovers: left,
    recordsMissing: v.recordsOpen + v.neverRecorded,
    failedLine: {
      'calls failed by the system (SIPp failed + never recorded + handed to dialplan + hung up on before a counsellor)': `${v.failedBySystem} (${v.sippFailed} + ${v.neverRecorded} + ${v.handedToDialplan} + ${v.hungUpBySystem})`,
      'SIPp failure causes': sippFailures(stats),
    },
  };
}

/** Names of the per-call keys left under a service's prefix (what rig.ts's leftovers() counts), for the notes. */
export async function leftoverKeyNames(redisUrl: string, prefix: string): Promise<string[]> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const names: string[] = [];
  try {
    for (const pattern of ['call:*', 'calls', 'chan:*', 'q:*', 'claim:*', 'db-backlog']) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:${pattern}`, 'COUNT', 1000);
        for (const k of keys) names.push(`${k.slice(prefix.length + 1)} (${await redis.type(k)}, ttl ${await redis.ttl(k)} s)`);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
  return names;
}

/**
 * The service's warnings and errors (pino level 40 and above) counted by message, the error's own
 * message after it when there is one, most frequent first: why callers were handed over or put back.
 */
export function logTally(logs: string, top = 8): string {
  const counts = new Map<string, number>();
  for (const line of logs.split('\n')) {
    if (!/"level":(40|50|60)/.test(line)) continue;
    let entry: { msg?: string; err?: { message?: string } | string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    const err = typeof entry.err === 'string' ? entry.err : entry.err?.message;
    // Ids and numbers out, so that one kind of failure is counted once.
    const kind = err?.replace(/[\w.-]*\d[\w.-]*/g, '…').slice(0, 80);
    const key = `${entry.msg ?? '?'}${kind ? ` (${kind})` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  return sorted.length ? sorted.slice(0, top).map(([k, n]) => `${n}× ${k}`).join('; ') : 'none';
}

/**
 * What SIPp aborted calls on, from its error file: each distinct "while expecting X, received Y"
 * (the call's position in the scenario and the message that came instead), with its count, so a
 * failed soak says whether the PBX sent something wrong or the scenario missed a legal message.
 */
export function sippAborts(errorsLog: string, top = 5): string[] {
  const counts = new Map<string, number>();
  for (const line of errorsLog.split('\n')) {
    const m = /unexpected message.*?while expecting '([^']+)' \(index (\d+)\), received '([^\r\n]*)/i.exec(line);
    if (!m) continue;
    // A request by its method (its URI names the call); a response by its status and reason's first word.
    const words = m[3]!.split(/\s+/);
    const kind = `expecting ${m[1]} (index ${m[2]}), received ${words[0] === 'SIP/2.0' ? words.slice(0, 3).join(' ') : words[0]}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([kind, n]) => `${n}× ${kind}`);
}
