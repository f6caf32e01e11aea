import { describe, expect, it } from 'vitest';
import { CLUSTER_HEADING, clusterSection, spliceSection, type ClusterReport } from '../../../bench/cluster-report.ts';

const stats = (p50: number) => ({ n: 3, min: p50 - 1, p50, p95: p50 + 1, max: p50 + 2, mean: p50 });
const rate = (r: number, held: boolean, nodes: Record<string, number>) => ({
  rate: r, attempt: 1, calls: r * 10, ok: held ? r * 10 : r * 10 - 2, failed: held ? 0 : 2, failures: (held ? {} : { answeredLate: 2 }) as Record<string, number>,
  answerMs: stats(5), held, callsPerNode: nodes, cpu: { servicePct: 10, asteriskNodesPct: 20, kamailioPct: 1 },
});
const report: ClusterReport = {
  startedAt: '2026-12-06T14:40:00.000Z', finishedAt: '2026-12-06T14:47:00.000Z', slot: 7,
  machine: { nproc: 2, asterisk: 'Asterisk 22.10.1 built by root', kamailio: 'Kamailio 5.6.3', loadAvgAtStart: [1.5, 2, 2], loadAvgAtEnd: [2, 2, 2] },
  settings: { rates: [10, 25], holdMs: 3000, answerTimeoutMs: 5000, handoffs: 3, talkMs: { min: 1500, max: 2500 }, killRate: 10, killAfterS: 12, killForS: 30, edge: '127.0.1.10:15760', nodes: ['ast1 127.0.1.1'] },
  phases: [
    { nodes: 1, handoff: { ...stats(15), samples: [14, 15, 16], noticeGatedLeftOut: 0 }, load: { runs: [rate(10, true, { ast1: 100 }), rate(25, true, { ast1: 250 })], heldCps: 25 } },
    { nodes: 3, handoff: { ...stats(17), samples: [16, 17, 18], noticeGatedLeftOut: 0 }, load: { runs: [rate(10, true, { ast1: 34, ast2: 33, ast3: 33 }), rate(25, false, { ast1: 84 })], heldCps: 10 } },
  ],
  kill: {
    killedNode: 'ast2', calls: 300, killToInactiveInKamailioMs: 1800, killToFirstNewAnswerMs: 95.5, firstNewCall: { sentAfterKillMs: 90, inviteToAnswerMs: 5.5 }, firstNewCallNode: 'ast3',
    afterKillWindow: { ms: 5000, answer: stats(6), overOneSecond: 2 }, answerAfterKill: stats(6),
    failedCalls: { total: 4, sippCauses: { 'FailedCall(C)': 4 }, placedBeforeKill: 4, placedAfterKill: 0, placedAfterKillNotAnsweredIn5s: 0, placedBetweenKillAndFirstNewAnswer: { placed: 1, failed: 0 } },
    answeredPerNodeAfterKill: { ast1: 90, ast3: 88 }, callsPerNode: { ast1: 120, ast2: 60, ast3: 120 }, serviceErrorLines: 0, serviceErrors: {},
  },
};

describe('cluster benchmark section', () => {
  const section = clusterSection(report);
  const text = section.join('\n');

  it('writes the run\'s own figures: held rates, hand-off per node count, the kill', () => {
    expect(text).toContain('run of 2026-12-06 14:40 UTC on test slot 7');
    expect(text).toMatch(/\| 1 node \| 3 \| 15\.0 \| 16\.0 \| 17\.0 \| 25 \(the highest tried\) \|/);
    expect(text).toMatch(/\| 3 nodes \| 3 \| 17\.0 \| 18\.0 \| 19\.0 \| 10 \|/);
    expect(text).toMatch(/\| 25 \| 3 \| \*\*failed\*\* \(answeredLate 2\) \|/);
    expect(text).toContain('**95.5 ms**');
    expect(text).toContain('answered by ast3');
    expect(text).toMatch(/Failed calls in all \(SIPp\) \| 4 of 300 \| FailedCall 4/);
    expect(text).toContain('3 nodes do not give more throughput than 1 here');
  });

  it('goes before Reproduce in a page without it, and replaces itself in a page with it', () => {
    const page = '# Benchmarks\n\n## 5. Time to a human\n\nx\n\n## Reproduce\n\nrun it\n';
    const once = spliceSection(page, section);
    expect(once.indexOf(CLUSTER_HEADING)).toBeGreaterThan(once.indexOf('## 5.'));
    expect(once.indexOf(CLUSTER_HEADING)).toBeLessThan(once.indexOf('## Reproduce'));
    const again = spliceSection(once, clusterSection({ ...report, slot: 3 }, ['A finding.']));
    expect(again.split(CLUSTER_HEADING).length).toBe(2);
    expect(again).toContain('on test slot 3');
    expect(again).not.toContain('on test slot 7');
    expect(again).toContain('\nA finding.\n');
    expect(again.endsWith('## Reproduce\n\nrun it\n')).toBe(true);
    // The last section of a page is replaced too.
    const last = spliceSection('# B\n\n' + section.join('\n'), clusterSection({ ...report, slot: 4 }));
    expect(last.split(CLUSTER_HEADING).length).toBe(2);
  });
});
