import { describe, expect, it } from 'vitest';
import { SerialExecutor } from '../../../src/services/calls/serial-executor.ts';

/** Resolves to 'timed out' if `p` has not settled within `ms`: a deadlock fails the test quickly. */
function within<T>(p: Promise<T>, ms = 1000): Promise<T | 'timed out'> {
  return Promise.race([p, new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), ms).unref())]);
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('SerialExecutor', () => {
  it('runs work asked for a call from inside that call\'s own turn, instead of waiting for itself', async () => {
    const ex = new SerialExecutor(() => undefined);
    const order: string[] = [];
    const outer = ex.run('call-1', async () => {
      order.push('outer');
      await ex.run('call-1', async () => void order.push('inner'));
      order.push('outer again');
    });
    expect(await within(outer)).toBeUndefined();
    expect(order).toEqual(['outer', 'inner', 'outer again']);
  });

  it('also when the way back to the call goes through another call\'s turn', async () => {
    const ex = new SerialExecutor(() => undefined);
    const order: string[] = [];
    const outer = ex.run('a', async () => {
      await ex.run('b', async () => {
        await ex.run('a', async () => void order.push('a inside b'));
      });
      order.push('a done');
    });
    expect(await within(outer)).toBeUndefined();
    expect(order).toEqual(['a inside b', 'a done']);
  });

  it('keeps events of one call in order: a later task waits for the turn and the work that joined it', async () => {
    const ex = new SerialExecutor(() => undefined);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    void ex.run('call-1', async () => {
      // Started, not awaited: it joins this turn, which lasts until it is over.
      void ex.run('call-1', async () => {
        await held;
        order.push('joined');
      });
      order.push('first');
    });
    const later = ex.run('call-1', async () => void order.push('later'));
    await tick();
    await tick();
    expect(order).toEqual(['first']);
    release();
    await later;
    expect(order).toEqual(['first', 'joined', 'later']);
  });

  it('runs work asked from inside one turn in order, one piece at a time', async () => {
    const ex = new SerialExecutor(() => undefined);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const turn = ex.run('call-1', async () => {
      void ex.run('call-1', async () => {
        await held;
        order.push('inner 1');
      });
      void ex.run('call-1', async () => void order.push('inner 2'));
    });
    await tick();
    expect(order).toEqual([]);
    release();
    expect(await within(turn)).toBeUndefined();
    expect(order).toEqual(['inner 1', 'inner 2']);
  });

  it('queues work asked from a context whose turn is over, behind the tasks already waiting', async () => {
    const ex = new SerialExecutor(() => undefined);
    const order: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let late!: Promise<void>;
    await ex.run('call-1', async () => {
      // Carries this turn's context, but runs once the turn is long over.
      void gate.then(() => (late = ex.run('call-1', async () => void order.push('late'))));
    });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const busy = ex.run('call-1', async () => {
      await held;
      order.push('busy');
    });
    open();
    await tick();
    expect(order).toEqual([]);
    release();
    await busy;
    await late;
    expect(order).toEqual(['busy', 'late']);
  });

  it('reports a failure of joined work as the key\'s, and the turn goes on', async () => {
    const errors: Array<[string, unknown]> = [];
    const ex = new SerialExecutor((key, err) => errors.push([key, err]));
    const order: string[] = [];
    const outer = ex.run('call-1', async () => {
      await ex.run('call-1', async () => {
        throw new Error('boom');
      });
      order.push('after');
    });
    expect(await within(outer)).toBeUndefined();
    expect(order).toEqual(['after']);
    expect(errors).toEqual([['call-1', new Error('boom')]]);
  });
});
