import { mkdtempSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { pruneRecordings } from '../../src/services/escalation/recording-retention.ts';

describe('pruneRecordings', () => {
  it('removes escalation recordings older than the retention and keeps the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rec-'));
    const now = Date.now();
    const old = join(dir, 'escalation-a.wav');
    const fresh = join(dir, 'escalation-b.wav');
    const other = join(dir, 'voicemail.wav');
    for (const f of [old, fresh, other]) writeFileSync(f, 'x');
    const tenDaysAgo = (now - 10 * 24 * 3600 * 1000) / 1000;
    utimesSync(old, tenDaysAgo, tenDaysAgo);
    utimesSync(other, tenDaysAgo, tenDaysAgo);
    expect(pruneRecordings(dir, 7, now, pino({ level: 'silent' }))).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });

  it('is quiet when the directory does not exist yet', () => {
    expect(pruneRecordings('/nonexistent/rec', 7, Date.now(), pino({ level: 'silent' }))).toBe(0);
  });
});
