import { describe, expect, it } from 'vitest';
import { decideFires, MISSED_GRACE_MS } from './missed-runs';

const now = new Date('2027-05-01T12:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
const shape = (decisions: ReturnType<typeof decideFires>) => decisions.map((d) => [d.fireAt.toISOString(), d.decision]);

describe('decideFires', () => {
  it('runs a fire time noticed within the grace', () => {
    expect(shape(decideFires([ago(1)], now, 'skip'))).toEqual([[ago(1).toISOString(), 'run']]);
    expect(MISSED_GRACE_MS).toBe(120_000);
  });

  it('skip: records every missed time as missed and runs none of them', () => {
    expect(shape(decideFires([ago(120), ago(60)], now, 'skip'))).toEqual([
      [ago(120).toISOString(), 'missed'],
      [ago(60).toISOString(), 'missed'],
    ]);
  });

  it('run-once: runs the latest missed time once, the older ones are missed', () => {
    expect(shape(decideFires([ago(120), ago(60)], now, 'run-once'))).toEqual([
      [ago(120).toISOString(), 'missed'],
      [ago(60).toISOString(), 'run'],
    ]);
  });

  it('run-once: a time within the grace runs, so no missed one runs too', () => {
    expect(shape(decideFires([ago(60), ago(1)], now, 'run-once'))).toEqual([
      [ago(60).toISOString(), 'missed'],
      [ago(1).toISOString(), 'run'],
    ]);
  });

  it('nothing due, nothing to do', () => {
    expect(decideFires([], now, 'run-once')).toEqual([]);
  });
});
