import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { findPhaseWrites, projectProgram } from './phase-writes.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** The one file allowed to write a call's phase: the router's transitions. */
const ALLOWED = [path.join(ROOT, 'src/services/calls/call-transitions.ts')];

describe('a call\'s phase has one way in', () => {
  const { program, srcFiles } = projectProgram(ROOT);

  it('nothing under src/ outside the router\'s transitions writes a live call\'s phase', () => {
    const outside = findPhaseWrites(program, srcFiles.filter((f) => !ALLOWED.includes(path.resolve(f))));
    expect(outside.map((w) => `${path.relative(ROOT, w.file)}:${w.line} ${w.text}`)).toEqual([]);
  }, 60_000);

  it('the scan sees the writes the router makes (it is looking at the right thing)', () => {
    const inside = findPhaseWrites(program, ALLOWED);
    expect(inside.map((w) => w.text)).toEqual([
      expect.stringContaining('{ ...fields, phase: step.next }'),
      expect.stringContaining('call.phase = step.next'),
    ]);
  }, 60_000);

  describe('the scan itself', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phase-guard-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'sample.ts');
    writeFileSync(file, `
      type Phase = 'ivr' | 'queued';
      export interface LiveCall { callId: string; channelId: string; phase: Phase; extraChannels: string[] }
      type Handle = Pick<LiveCall, 'callId' | 'channelId' | 'phase' | 'extraChannels'>;
      declare const call: LiveCall;
      declare const handle: Handle;
      declare function save(c: LiveCall): void;
      call.phase = 'queued';                                   // 1 direct
      handle['phase'] = 'ivr';                                 // 2 element access, through a Pick
      save({ ...call, phase: 'queued' });                      // 3 spread into a LiveCall parameter
      const made: LiveCall = { callId: 'a', channelId: 'a', phase: 'ivr', extraChannels: [] }; // 4 literal
      const loose = { ...call, phase: 'queued' as Phase };     // 5 spread, no declared type
      Object.assign(call, { phase: 'ivr' });                   // 6 Object.assign
      // Not writes of a live call's phase:
      const wire = { callId: call.callId, phase: call.phase }; // a response body reads the phase
      const other = { phase: 1 }; other.phase = 2;
      if (call.phase === 'ivr') void made;
      export { loose, wire };
    `);
    const sample = ts.createProgram([file], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022 });

    it('finds each way of writing the phase and nothing else', () => {
      const lines = findPhaseWrites(sample, [file]).map((w) => w.line);
      expect(lines).toEqual([8, 9, 10, 11, 12, 13]);
    });
  });
});
