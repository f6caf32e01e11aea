import { beforeEach, expect, it } from 'vitest';
import type { QueueEvent, QueueEventLog } from '../../src/ports/queue-events.ts';

const SINCE = '2026-03-10T01:00:00.000Z'; // 09:00 in Shanghai
const at = (minutes: number) => new Date(Date.parse(SINCE) + minutes * 60_000).toISOString();

/** The QueueEventLog contract: events kept in order; figures computed the same way everywhere. */
export function queueEventLogContract(make: () => Promise<QueueEventLog>): void {
  let log: QueueEventLog;
  beforeEach(async () => {
    log = await make();
  });

  it('lists events since a time, in the order they were appended, up to the limit', async () => {
    const events: QueueEvent[] = [
      { at: at(-5), type: 'enter', callId: 'old', data: { position: 1 } },
      { at: at(1), type: 'enter', callId: 'c-1', data: { position: 1, need: 'legal' } },
      { at: at(2), type: 'offer', callId: 'c-1', counsellorId: 'c1', data: { offerId: '0badcafe', waitMs: 60_000 } },
      { at: at(2), type: 'auto-pause', counsellorId: 'c1', data: { reason: 'no-answer' } },
      { at: at(3), type: 'connect', callId: 'c-1', counsellorId: 'c1', data: { waitMs: 120_000 } },
    ];
    for (const e of events) await log.append(e);
    expect(await log.list(SINCE, 10)).toEqual(events.slice(1));
    expect(await log.list(SINCE, 2)).toEqual(events.slice(1, 3));
    expect(await log.list(at(10), 10)).toEqual([]);
  });

  it('keeps an event without data or call as such', async () => {
    await log.append({ at: at(1), type: 'overflow' });
    expect(await log.list(SINCE, 10)).toEqual([{ at: at(1), type: 'overflow', data: {} }]);
  });

  it('has no figures for a quiet period', async () => {
    expect(await log.stats(SINCE, 20, 'Asia/Shanghai')).toEqual({
      since: SINCE, offered: 0, answered: 0, abandoned: 0, callbacks: 0, serviceLevel: null,
      averageSpeedOfAnswerSec: null, longestWaitSec: null, abandonRate: null, byHour: [],
    });
  });

  it('computes offered, answered, abandoned, service level and speed of answer', async () => {
    await log.append({ at: at(-30), type: 'connect', callId: 'before', data: { waitMs: 900_000 } }); // outside the period
    for (const [i, id] of ['a', 'b', 'c', 'd', 'e'].entries()) await log.append({ at: at(i), type: 'enter', callId: id, data: {} });
    await log.append({ at: at(1), type: 'connect', callId: 'a', counsellorId: 'c1', data: { waitMs: 5_000 } });
    await log.append({ at: at(2), type: 'connect', callId: 'b', counsellorId: 'c2', data: { waitMs: 20_000 } }); // exactly at the threshold
    await log.append({ at: at(75), type: 'connect', callId: 'c', counsellorId: 'c1', data: { waitMs: 33_333 } });
    await log.append({ at: at(80), type: 'abandon', callId: 'd', data: { position: 1, waitMs: 61_000 } });
    await log.append({ at: at(81), type: 'callback-requested', callId: 'e', data: { jobId: 'callback-e', waitMs: 8_000 } });
    const stats = await log.stats(SINCE, 20, 'Asia/Shanghai');
    expect(stats).toMatchObject({ since: SINCE, offered: 5, answered: 3, abandoned: 1, callbacks: 1, abandonRate: 0.2 });
    expect(stats.serviceLevel).toBeCloseTo(2 / 4, 10); // answered within 20 s over answered + abandoned
    expect(stats.averageSpeedOfAnswerSec).toBe(19.4); // (5 + 20 + 33.333) / 3, to 0.1 s
    expect(stats.longestWaitSec).toBe(61);
    expect(stats.byHour).toEqual([
      { hour: 9, offered: 5, answered: 2, averageWaitSec: 12.5 },
      { hour: 10, offered: 0, answered: 1, averageWaitSec: 33.3 },
    ]);
  });

  it('counts a caller re-queued after an escalation as offered once', async () => {
    await log.append({ at: at(1), type: 'enter', callId: 'r', data: {} });
    await log.append({ at: at(2), type: 'connect', callId: 'r', data: { waitMs: 5_000 } });
    await log.append({ at: at(20), type: 'enter', callId: 'r', data: { priority: 100 } });
    await log.append({ at: at(2), type: 'enter', callId: 's', data: {} });
    const stats = await log.stats(SINCE, 20, 'Asia/Shanghai');
    expect(stats.offered).toBe(2);
    expect(stats.byHour).toEqual([{ hour: 9, offered: 2, answered: 1, averageWaitSec: 5 }]);
  });

  it('counts the service level against the threshold it is given', async () => {
    await log.append({ at: at(1), type: 'connect', callId: 'a', data: { waitMs: 25_000 } });
    expect((await log.stats(SINCE, 20, 'UTC')).serviceLevel).toBe(0);
    expect((await log.stats(SINCE, 30, 'UTC')).serviceLevel).toBe(1);
    expect((await log.stats(SINCE, 30, 'UTC')).byHour.map((h) => h.hour)).toEqual([1]);
  });
}
