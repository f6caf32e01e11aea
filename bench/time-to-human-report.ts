/**
 * The "time to a human" section of docs/benchmarks.md, from var/bench/time-to-human.json
 * (bench/time-to-human.ts). bench/bench-report.ts includes it when given that file; run alone, it
 * prints just the section:
 *
 *   node --import tsx bench/time-to-human-report.ts var/bench/time-to-human.json
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface PathResult { id: string; seconds: number | null; lastKeyToInviteS: number | null; samples: Array<number | null> }
interface Measured { measuredAt: string; commit: string; runsPerPath: number; cpus: number; loadavg: number[]; noticeSeconds: number | null; results: PathResult[] }
export interface TimeToHuman {
  issueBefore: Record<string, number>;
  paths: Array<{ id: string; label: string }>;
  before?: Measured;
  after?: Measured;
}

/** Paths where the caller makes a choice: the issue's "ringing within 2 s of the last key". */
const CHOICES = ['wrong-keys', 'mandarin-0', 'cantonese-0'];
const SILENT = ['silence', 'exam-closed-silence'];
const SILENCE_BOUND_S = 30;
const LAST_KEY_BOUND_S = 2;

/** The median of a path's calls (mean of the middle two for an even count); null if one was not put through. */
function medianOf(r: PathResult | undefined): number | null {
  if (!r) return null;
  if (r.samples.length === 0 || r.samples.some((x) => x === null)) return r.seconds;
  const v = (r.samples as number[]).slice().sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return Math.round((v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2) * 10) / 10;
}

const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const s1 = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(1));
const met = (ok: boolean) => (ok ? '**met**' : '**not met**');

export function timeToHumanSection(t: TimeToHuman, heading = '## 5. Time to a human (issue #11)'): string[] {
  const out: string[] = [];
  const p = (...lines: string[]) => out.push(...lines);
  const of = (m: Measured | undefined, id: string) => m?.results.find((r) => r.id === id);
  p(
    heading,
    '',
    'Seconds from the answer (the caller\'s 200 OK) to the counsellor phone\'s INVITE, through the real stack:',
    '`bench/time-to-human.ts`, shipped `config/hotline.yaml` with `wrapUpMs: 0`, one free counsellor (SIPp phone',
    '1001, registered), one caller at a time. Callers are SIPp from the carrier address that send audio like a',
    'held phone (one RTP stream of quiet speech-band tone, `bench/caller-media.ts`) with their keys as RFC 4733',
    'events in it, 3 s and 5.5 s after the answer (the third wrong key at 8 s). The season comes from the',
    'service\'s clock (`HOTLINE_NOW`: June 1 in season, December 6 out of season). Both times are read from the',
    'SIPp message traces (one machine clock).',
    '',
  );
  const cols = ['Path', 'issue (before)'];
  if (t.before) cols.push(`before (\`${t.before.commit}\`, this rig)`);
  if (t.after) cols.push(`after (\`${t.after.commit}\`)`, 'after: last key → INVITE');
  p(row(cols), row(cols.map((_, i) => (i === 0 ? '---' : '---:'))));
  for (const { id, label } of t.paths) {
    const cells: Array<string | number> = [label, s1(t.issueBefore[id])];
    if (t.before) cells.push(s1(medianOf(of(t.before, id))));
    if (t.after) cells.push(s1(medianOf(of(t.after, id))), s1(of(t.after, id)?.lastKeyToInviteS));
    p(row(cells));
  }
  p('');
  if (t.after) {
    const a = t.after;
    const silent = SILENT.map((id) => medianOf(of(a, id)));
    const keyed = CHOICES.map((id) => of(a, id)?.lastKeyToInviteS ?? null);
    const silentOk = silent.every((x) => x !== null && x <= SILENCE_BOUND_S);
    const keyedOk = keyed.every((x) => x !== null && x <= LAST_KEY_BOUND_S);
    p(
      `After: silence on either line puts the caller through in at most ${SILENCE_BOUND_S} s: ${met(silentOk)}` +
        ` (${silent.map(s1).join(' s and ')} s). Ringing within ${LAST_KEY_BOUND_S} s of the last key when a choice`,
      `was made: ${met(keyedOk)} (${keyed.map(s1).join(', ')} s). The privacy notice (${s1(a.noticeSeconds)} s) now plays while`,
      'the phone rings; the bridge waits for its end (tests/e2e/time-to-human.test.ts holds it to the notice\'s end plus',
      '1.5 s at most). Emergency (9) is not held for the notice, before or after.',
      '',
      `Measured ${a.measuredAt.slice(0, 16).replace('T', ' ')} UTC, ${a.runsPerPath} call(s) per path (median shown), ${a.cpus} CPUs,` +
        ` load average ${a.loadavg.join(' / ')} at the end (a shared machine).`,
    );
    if (t.before) {
      p(
        `"before (this rig)" is the same script run from a checkout of \`${t.before.commit}\`, the commit before the #11`,
        `work, on the same machine (${t.before.measuredAt.slice(0, 16).replace('T', ' ')} UTC, load average ${t.before.loadavg.join(' / ')}):` +
          ' its longer menus, and its notice played in full before anyone was rung.',
      );
    }
    p('"issue (before)" are the figures in issue #11, from its author\'s rig. Every call of a path is in the JSON file (`samples`).', '');
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: time-to-human-report.ts <time-to-human.json>\n');
    process.exit(2);
  }
  process.stdout.write(`${timeToHumanSection(JSON.parse(readFileSync(file, 'utf8')) as TimeToHuman).join('\n')}\n`);
}
