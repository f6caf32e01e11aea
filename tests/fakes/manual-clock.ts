import type { Clock } from '../../src/ports/clock.ts';

/** A Clock that stands still until a test moves it. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start: Date | string | number = '2026-03-10T02:00:00.000Z') {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('a clock does not run backwards');
    this.ms += ms;
  }

  set(to: Date | string | number): void {
    this.ms = new Date(to).getTime();
  }
}
