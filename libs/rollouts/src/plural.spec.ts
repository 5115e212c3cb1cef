import { describe, expect, it } from 'vitest';
import { plural } from './plural';

describe('plural', () => {
  it('says 1 node and 0 or 2 nodes', () => {
    expect([plural(1, 'failed node'), plural(2, 'failed node'), plural(0, 'batch', 'batches')]).toEqual([
      '1 failed node',
      '2 failed nodes',
      '0 batches',
    ]);
  });
});
