import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  handleTransfer, isTransferOpen, startTransfer, TRANSFER_EVENT_TYPES, type TransferCommand, type TransferEvent, type TransferState,
} from '../../../src/domain/transfer/transfer-machine.ts';

/**
 * Every sequence of events, in both modes: the transfer ends in a legal state, ends once, and the
 * caller is always with someone, on hold, or queued — never alone in silence.
 */

const event = fc.constantFrom(...TRANSFER_EVENT_TYPES).map((type): TransferEvent => (type === 'colleague-gone' ? { type, cause: 'busy' } : { type } as TransferEvent));
const scenario = fc.record({ mode: fc.constantFrom('warm' as const, 'blind' as const), events: fc.array(event, { maxLength: 12 }) });

/** Where the commands leave the caller, starting from `where`. */
function follow(where: string, commands: TransferCommand[], counsellorOn: boolean): string {
  for (const c of commands) {
    if (c.type === 'hold-caller') where = 'on-hold';
    if (c.type === 'unhold-caller') where = counsellorOn ? 'with-counsellor' : 'in-bridge';
    if (c.type === 'promote-colleague') where = 'with-colleague';
    if (c.type === 'requeue-caller') where = 'queued';
  }
  return where;
}

const LEGAL: Record<TransferState['status'], ReadonlyArray<TransferState['caller']>> = {
  ringing: ['on-hold'], consulting: ['on-hold'],
  completed: ['with-colleague'], cancelled: ['with-counsellor', 'queued', 'gone'], failed: ['with-counsellor', 'queued'],
};

describe('transfer machine, any event sequence', () => {
  it('keeps the caller with someone, ends once, in a legal state', () => {
    fc.assert(fc.property(scenario, ({ mode, events }) => {
      let step = startTransfer({ id: 't', callId: 'c', mode, colleagueId: 'c2', colleagueLeg: 'colleague-t-c2' });
      let where = follow('with-counsellor', step.commands, true);
      let finished = 0;
      let rings = step.commands.filter((c) => c.type === 'ring-colleague').length;
      let releases = 0;
      let promotions = 0;
      for (const e of events) {
        const before = step.state;
        step = handleTransfer(before, e);
        const cmds = step.commands;
        // unhold with a counsellor gone only ever comes with the colleague being promoted.
        where = follow(where, cmds, step.state.counsellorOn || cmds.some((c) => c.type === 'promote-colleague') ? true : false);
        if (cmds.some((c) => c.type === 'promote-colleague')) where = 'with-colleague';
        if (e.type === 'caller-gone' && isTransferOpen(before)) where = 'gone';
        finished += cmds.filter((c) => c.type === 'finished').length;
        rings += cmds.filter((c) => c.type === 'ring-colleague').length;
        releases += cmds.filter((c) => c.type === 'release-counsellor').length;
        promotions += cmds.filter((c) => c.type === 'promote-colleague').length;
        // Legal pairs of status and caller, and the machine's own view agrees with its commands.
        expect(LEGAL[step.state.status]).toContain(step.state.caller);
        expect(where).toBe(step.state.caller);
        // Nobody is ever handed to a colleague who did not answer, or re-queued while the counsellor is on.
        if (cmds.some((c) => c.type === 'promote-colleague')) expect(step.state.colleagueAnswered).toBe(true);
        if (cmds.some((c) => c.type === 'requeue-caller')) expect(step.state.counsellorOn).toBe(false);
        if (!isTransferOpen(before)) expect(cmds.every((c) => c.type === 'hangup-colleague')).toBe(true);
        if (step.refused) expect(cmds).toEqual([]);
        if (step.state.status === 'consulting') expect(mode).toBe('warm');
      }
      expect(finished).toBe(isTransferOpen(step.state) ? 0 : 1);
      expect(rings).toBe(1);
      expect(releases).toBeLessThanOrEqual(1);
      expect(promotions).toBeLessThanOrEqual(1);
      if (step.state.outcome) expect(step.state.status).not.toMatch(/ringing|consulting/);
    }), { numRuns: 1500 });
  }, 30_000);

  it('every event sequence is reachable to an end: a ring timeout always ends an open transfer', () => {
    fc.assert(fc.property(scenario, ({ mode, events }) => {
      let state = startTransfer({ id: 't', callId: 'c', mode, colleagueId: 'c2', colleagueLeg: 'l' }).state;
      for (const e of events) state = handleTransfer(state, e).state;
      const after = handleTransfer(handleTransfer(state, { type: 'ring-timeout' }).state, { type: 'colleague-gone', cause: 'x' }).state;
      expect(isTransferOpen(after)).toBe(false);
    }));
  });
});
