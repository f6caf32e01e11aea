import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { QueueSettings } from '../../../src/config/queue-config.ts';
import { LOAD_DIR } from './load-pbx.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
/** The line callers of the surge dial: straight to the general queue, no keys (as bench's line 12356). */
export const SURGE_NUMBER = '12356';

/**
 * config/hotline.yaml with a line `surge` (12356, route general) and the given queue settings, so
 * that 1,000 callers reach the queue without key presses (their SIPp sends no RTP at all).
 */
export function writeSurgeConfig(queue: Partial<QueueSettings>): string {
  const raw = parse(readFileSync(join(ROOT, 'config/hotline.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  raw.queue = { ...raw.queue, ...queue };
  raw.lines = { ...raw.lines, surge: { number: SURGE_NUMBER, route: 'general' } };
  mkdirSync(LOAD_DIR, { recursive: true });
  const file = join(LOAD_DIR, 'hotline.surge.yaml');
  writeFileSync(file, `# Written by tests/chaos/support/surge-config.ts from config/hotline.yaml.\n${stringify(raw)}`);
  return file;
}
