/**
 * Sums V8 .cpuprofile files (bench/cpu-profile-preload.ts, or node --cpu-prof): self time by
 * function and by module (package or src/ file), and inclusive time by function, in ms per file
 * group. Compare two sides with equal work:
 *
 *   node --import tsx bench/cpu-profile-top.ts [--top 30] [--per 12] before=var/bench/prof/before-*.cpuprofile perf=var/bench/prof/perf-*.cpuprofile
 *
 * `--per N` divides by N × files (e.g. hand-offs per round: ms per hand-off).
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const args = process.argv.slice(2);
const opt = (name: string, d: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const TOP = opt('--top', 30);
const PER = opt('--per', 1);
const groups = new Map<string, string[]>();
for (const a of args.filter((x, i) => !x.startsWith('--') && !['--top', '--per'].includes(args[i - 1] ?? ''))) {
  const [label, file] = a.includes('=') ? (a.split('=', 2) as [string, string]) : ['all', a];
  groups.set(label, [...(groups.get(label) ?? []), file]);
}

const short = (url: string) => {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `pkg:${nm[1]}`;
  const src = /\/((?:src|web|bench|tests)\/.*)$/.exec(url);
  if (src) return src[1]!;
  return url || '(native/vm)';
};
const fnKey = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;

function sum(files: string[]) {
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(f, 'utf8')) as Profile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (let i = 0; i < p.samples.length; i++) {
      // timeDeltas[i] is the time before sample i; the sample's weight is the time to the next one.
      const ms = (p.timeDeltas[i + 1] ?? 0) / 1000;
      const n = byId.get(p.samples[i]!)!;
      if (n.callFrame.functionName === '(idle)') continue;
      total += ms;
      self.set(fnKey(n), (self.get(fnKey(n)) ?? 0) + ms);
      byModule.set(short(n.callFrame.url), (byModule.get(short(n.callFrame.url)) ?? 0) + ms);
      const seen = new Set<string>();
      for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
        const k = fnKey(byId.get(id)!);
        if (seen.has(k)) continue;
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + ms);
      }
    }
  }
  const div = PER * files.length;
  return { total: total / div, self, incl, byModule, div };
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const results = [...groups].map(([label, files]) => ({ label, ...sum(files) }));
const fmt = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(2)).padStart(8);
const table = (title: string, pick: (r: (typeof results)[number]) => Map<string, number>, top: number) => {
  const keys = new Map<string, number>();
  for (const r of results) for (const [k, v] of pick(r)) keys.set(k, Math.max(keys.get(k) ?? 0, v / r.div));
  say(`\n## ${title} (ms per ${PER > 1 ? `${PER} → per unit` : 'file'}): ${results.map((r) => r.label).join(' | ')}`);
  for (const [k] of [...keys].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    say(`${results.map((r) => fmt((pick(r).get(k) ?? 0) / r.div)).join(' ')}  ${k}`);
  }
};
say(`total (non-idle) ms: ${results.map((r) => `${r.label} ${r.total.toFixed(2)}`).join(', ')}`);
table('self time by module', (r) => r.byModule, TOP);
table('self time by function', (r) => r.self, TOP);
if (args.includes('--incl')) table('inclusive time by function', (r) => r.incl, TOP * 2);
