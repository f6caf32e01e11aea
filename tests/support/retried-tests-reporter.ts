import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, TestCase } from 'vitest/node';

/**
 * Names every test that needed a retry, so that a retry never hides a flaky test: the lines go to
 * the run's output and to var/test-results/retried.txt (empty when none). End-to-end tests get one
 * retry in CI only (vitest.config.ts): they run on a shared 2-core machine against real Asterisk,
 * SIPp and Chromium, where a timing assertion can miss once under load.
 */
export default class RetriedTestsReporter implements Reporter {
  private readonly retried: string[] = [];

  private readonly file: string;

  /** Vitest passes the reporter's options, if any: `{ file }`. */
  constructor(options: { file?: string } = {}) {
    this.file = options.file ?? 'var/test-results/retried.txt';
  }

  onTestCaseResult(test: TestCase): void {
    const d = test.diagnostic();
    if (!d || d.retryCount === 0) return;
    const outcome = test.result().state === 'passed' ? `passed on try ${d.retryCount + 1}` : `failed ${d.retryCount + 1} times`;
    this.retried.push(`${test.module.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}: ${outcome}`);
  }

  onTestRunEnd(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, this.retried.map((l) => `${l}\n`).join(''));
    for (const line of this.retried) process.stdout.write(`[retried] ${line}\n`);
    if (this.retried.length === 0) process.stdout.write('[retried] no test needed a retry\n');
  }
}
