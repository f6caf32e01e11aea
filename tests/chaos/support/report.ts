import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * What a chaos scenario measured, as numbers a hotline operator can read. Every figure comes from
 * the run (SIPp traces, the service's API and event log, ARI, Redis), never from text.
 */
export interface ScenarioFigures {
  /** Number and title, e.g. "3. Redis restart". Also the sort key of docs/reliability.md. */
  scenario: string;
  load: string;
  fault: string;
  callers: number;
  /** Callers whose call was connected to a counsellor. */
  reachedCounsellor: number;
  /** Callers the hotline hung up on without a counsellor having talked to them (must be 0). */
  hungUpBySystem: number;
  /** Callers served out of their queue order (pairs of equal priority served in the wrong order). */
  lostPlace: number;
  leftovers: { channels: number; bridges: number; redisKeys: number; jobs: number };
  /** Calls with no closed record in PostgreSQL once everything ended. */
  recordsMissing: number;
  /** Scenario-specific figures (times, RSS, CPU, ...), label → value. */
  extra?: Record<string, string | number>;
  notes?: string[];
  passed: boolean;
  durationSec: number;
}

const ROOT = resolve(import.meta.dirname, '../../..');
/** In the repository: the page is rebuilt from every scenario's last figures, not only this run's. */
export const CHAOS_RESULTS_DIR = join(ROOT, 'docs/reliability-data');

export function recordScenario(f: ScenarioFigures): void {
  mkdirSync(CHAOS_RESULTS_DIR, { recursive: true });
  const slug = f.scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  writeFileSync(join(CHAOS_RESULTS_DIR, `${slug}.json`), JSON.stringify({ ...f, measuredAt: new Date().toISOString(), machine: thisMachine() }, null, 2));
}

/** The machine a figure was measured on, as the page names it. */
export function thisMachine(): string {
  return `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB`;
}
