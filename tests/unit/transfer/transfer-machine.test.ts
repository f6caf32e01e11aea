import { describe, expect, it } from 'vitest';
import {
  handleTransfer, startTransfer, type TransferEvent, type TransferMode, type TransferState, type TransferStep,
} from '../../../src/domain/transfer/transfer-machine.ts';

const LEG = 'colleague-0a0b0c0d-c1002';
const start = (mode: TransferMode) => startTransfer({ id: '0a0b0c0d', callId: 'call1', mode, colleagueId: 'c1002', colleagueLeg: LEG });
const types = (s: TransferStep) => s.commands.map((c) => c.type);
/** Runs the events from a fresh transfer; the last step. */
function run(mode: TransferMode, ...events: Array<TransferEvent['type'] | TransferEvent>): TransferStep {
  let step = start(mode);
  for (const e of events) step = handleTransfer(step.state, typeof e === 'string' ? ({ type: e, cause: 'x' } as TransferEvent) : e);
  return step;
}

describe('startTransfer', () => {
  it.each(['warm', 'blind'] as const)('%s: holds the caller (music) and rings the colleague', (mode) => {
    const s = start(mode);
    expect(s.commands).toEqual([{ type: 'hold-caller' }, { type: 'ring-colleague', leg: LEG }]);
    expect(s.state).toMatchObject({ status: 'ringing', caller: 'on-hold', counsellorOn: true, colleagueAnswered: false, outcome: null });
  });
});

describe('warm transfer (咨询后转接)', () => {
  it('consults once the colleague answers: the colleague joins the counsellor, the caller keeps holding', () => {
    const s = run('warm', 'colleague-answered');
    expect(s.state).toMatchObject({ status: 'consulting', caller: 'on-hold', colleagueAnswered: true });
    expect(s.commands).toEqual([{ type: 'join-colleague', leg: LEG }]);
  });

  it('complete: the caller joins the colleague, who takes the call over; the counsellor leaves', () => {
    const s = run('warm', 'colleague-answered', 'complete');
    expect(s.state).toMatchObject({ status: 'completed', caller: 'with-colleague', counsellorOn: false, outcome: 'completed' });
    expect(s.commands).toEqual([
      { type: 'release-counsellor', hangup: true }, { type: 'unhold-caller' }, { type: 'promote-colleague', leg: LEG }, { type: 'finished', outcome: 'completed' },
    ]);
  });

  it('cancel during the consult: the colleague is let go and the caller is back with the counsellor', () => {
    const s = run('warm', 'colleague-answered', 'cancel');
    expect(s.state).toMatchObject({ status: 'cancelled', caller: 'with-counsellor', outcome: 'cancelled' });
    expect(s.commands).toEqual([{ type: 'hangup-colleague', leg: LEG }, { type: 'unhold-caller' }, { type: 'finished', outcome: 'cancelled' }]);
  });

  it('cancel while it still rings: the ringing stops and the caller is back', () => {
    expect(types(run('warm', 'cancel'))).toEqual(['hangup-colleague', 'unhold-caller', 'finished']);
  });

  it('refuses complete before the colleague answered', () => {
    const s = run('warm', 'complete');
    expect(s.refused).toBe('transfer-not-consulting');
    expect(s.commands).toEqual([]);
    expect(s.state.status).toBe('ringing');
  });

  it.each(['colleague-gone', 'ring-timeout'] as const)('%s while ringing: back with the counsellor', (e) => {
    const s = run('warm', e);
    expect(s.state).toMatchObject({ status: 'failed', caller: 'with-counsellor', outcome: 'colleague-unavailable' });
    expect(types(s)).toEqual(['hangup-colleague', 'unhold-caller', 'finished']);
  });

  it('the colleague hanging up mid-consult brings the caller back to the counsellor', () => {
    const s = run('warm', 'colleague-answered', 'colleague-gone');
    expect(s.state).toMatchObject({ status: 'failed', caller: 'with-counsellor' });
    expect(types(s)).toEqual(['hangup-colleague', 'unhold-caller', 'finished']);
  });

  it('the caller hanging up mid-consult ends the colleague leg and the transfer', () => {
    const s = run('warm', 'colleague-answered', 'caller-gone');
    expect(s.state).toMatchObject({ status: 'cancelled', caller: 'gone', outcome: 'caller-left' });
    expect(s.commands).toEqual([{ type: 'hangup-colleague', leg: LEG }, { type: 'finished', outcome: 'caller-left' }]);
  });

  it('the counsellor hanging up mid-consult puts the caller through', () => {
    const s = run('warm', 'colleague-answered', 'counsellor-gone');
    expect(s.state).toMatchObject({ status: 'completed', caller: 'with-colleague' });
    expect(s.commands).toEqual([
      { type: 'release-counsellor', hangup: false }, { type: 'unhold-caller' }, { type: 'promote-colleague', leg: LEG }, { type: 'finished', outcome: 'completed' },
    ]);
  });

  it('the counsellor gone while it rings: an answer hands straight over, no answer re-queues', () => {
    const left = run('warm', 'counsellor-gone');
    expect(left.commands).toEqual([{ type: 'release-counsellor', hangup: false }]);
    expect(left.state).toMatchObject({ status: 'ringing', counsellorOn: false, caller: 'on-hold' });
    expect(types(run('warm', 'counsellor-gone', 'colleague-answered'))).toEqual(['join-colleague', 'unhold-caller', 'promote-colleague', 'finished']);
    const nobody = run('warm', 'counsellor-gone', 'ring-timeout');
    expect(nobody.state).toMatchObject({ status: 'failed', caller: 'queued' });
    expect(types(nobody)).toEqual(['hangup-colleague', 'requeue-caller', 'finished']);
  });
});

describe('blind transfer (直接转接)', () => {
  it('hands over as soon as the colleague answers, the counsellor leaving', () => {
    const s = run('blind', 'colleague-answered');
    expect(s.state).toMatchObject({ status: 'completed', caller: 'with-colleague' });
    expect(types(s)).toEqual(['join-colleague', 'release-counsellor', 'unhold-caller', 'promote-colleague', 'finished']);
  });

  it.each(['colleague-gone', 'ring-timeout'] as const)('%s with the counsellor still there: back to them', (e) => {
    expect(types(run('blind', e))).toEqual(['hangup-colleague', 'unhold-caller', 'finished']);
  });

  it.each(['colleague-gone', 'ring-timeout'] as const)('%s after the counsellor left: the front of the queue', (e) => {
    const s = run('blind', 'counsellor-gone', e);
    expect(s.state.caller).toBe('queued');
    expect(types(s)).toEqual(['hangup-colleague', 'requeue-caller', 'finished']);
  });

  it('never consults: complete is refused', () => {
    expect(run('blind', 'complete').refused).toBe('transfer-not-consulting');
  });
});

describe('after the end', () => {
  const ends: Array<[string, TransferState]> = [
    ['completed', run('warm', 'colleague-answered', 'complete').state],
    ['cancelled', run('warm', 'cancel').state],
    ['failed', run('blind', 'ring-timeout').state],
    ['caller-left', run('warm', 'caller-gone').state],
  ];
  it.each(ends)('%s: events change nothing; requests are refused; a late answer is hung up', (_name, state) => {
    for (const e of ['colleague-gone', 'ring-timeout', 'caller-gone', 'counsellor-gone'] as const) {
      expect(handleTransfer(state, { type: e, cause: 'x' } as TransferEvent)).toEqual({ state, commands: [] });
    }
    expect(handleTransfer(state, { type: 'complete' }).refused).toBe('transfer-over');
    expect(handleTransfer(state, { type: 'cancel' }).refused).toBe('transfer-over');
    expect(handleTransfer(state, { type: 'colleague-answered' }).commands).toEqual([{ type: 'hangup-colleague', leg: LEG }]);
  });

  it('a ring timeout that comes after the answer does not end the consult', () => {
    const consulting = run('warm', 'colleague-answered').state;
    expect(handleTransfer(consulting, { type: 'ring-timeout' })).toEqual({ state: consulting, commands: [] });
  });

  it('a second answer during the consult changes nothing', () => {
    const consulting = run('warm', 'colleague-answered').state;
    expect(handleTransfer(consulting, { type: 'colleague-answered' })).toEqual({ state: consulting, commands: [] });
  });
});
