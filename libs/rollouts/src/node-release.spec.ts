import { describe, expect, it } from 'vitest';
import { holdOf, leavesOnAbort, needsNoout, undoStep, type HoldingNode } from './node-release';

const node = (name: string, steps: [string, string?][], extra: Partial<HoldingNode> = {}): HoldingNode => ({
  node: name,
  cluster: 'c1',
  step: steps.at(-1)?.[0] ?? null,
  tasks: steps.map(([step, exitstatus]) => ({ step, exitstatus })),
  release: null,
  ...extra,
});

describe('what a stopped rollout left on a node', () => {
  it('holds maintenance and noout from when their steps began until their undoing succeeded', () => {
    expect(holdOf(node('a', [['maintenance', 'interrupted: worker lost']]))).toEqual({ maintenance: true, noout: false });
    expect(
      holdOf(
        node('a', [
          ['maintenance', 'OK'],
          ['evacuate', 'OK'],
          ['noout', 'OK'],
        ]),
      ),
    ).toEqual({ maintenance: true, noout: true });
    expect(
      holdOf(
        node('a', [
          ['maintenance', 'OK'],
          ['leave', 'hamaintenance failed'],
        ]),
      ),
    ).toEqual({ maintenance: true, noout: false });
    const released = node('a', [['maintenance', 'OK']], {
      release: { by: 'x', at: '', state: 'released', tasks: [{ step: 'leave', upid: 'u', exitstatus: 'WARNINGS: 1' }] },
    });
    expect(holdOf(released)).toEqual({ maintenance: false, noout: false });
  });

  it('by default an abort takes out of maintenance only nodes whose repositories and packages are untouched', () => {
    expect(leavesOnAbort(['refresh', 'inspect', 'maintenance', 'evacuate', 'noout'], null)).toBe(true);
    expect(leavesOnAbort(['refresh', 'inspect', 'maintenance', 'evacuate', 'noout', 'upgrade'], null)).toBe(false);
    expect(leavesOnAbort(['maintenance', 'repos'], null)).toBe(false);
    expect(leavesOnAbort(['maintenance', 'upgrade'], true)).toBe(true);
    expect(leavesOnAbort(['maintenance'], false)).toBe(false);
  });

  it('unsets noout first, unless another node of the cluster still needs it; then leaves maintenance', () => {
    const a = node('a', [
      ['maintenance', 'OK'],
      ['evacuate', 'OK'],
      ['noout', 'OK'],
    ]);
    const b = node('b', [['maintenance', 'OK'], ['evacuate', 'OK'], ['noout', 'OK'], ['upgrade']]);
    expect(undoStep(a, [a], 60)).toMatchObject({ step: 'noout-unset', type: 'cephflag', params: { flag: 'noout', set: false } });
    expect(undoStep(a, [a, b], 60)).toMatchObject({
      step: 'leave',
      type: 'hamaintenance',
      params: { node: 'a', enable: false, waitSeconds: 60 },
    });
    expect(undoStep(a, [a, { ...b, cluster: 'c2' }], 60)?.step).toBe('noout-unset');
    // A node on its way out of maintenance needs noout no more: the last one leaving unsets it.
    const leaving = { ...b, step: 'leave' };
    expect(needsNoout(leaving)).toBe(false);
    expect(undoStep(a, [a, leaving], 60)?.step).toBe('noout-unset');
    expect(
      undoStep(
        node('a', [
          ['maintenance', 'OK'],
          ['leave', 'OK'],
        ]),
        [],
        60,
      ),
    ).toBeUndefined();
  });
});
