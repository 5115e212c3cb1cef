import { describe, expect, it } from 'vitest';
import { classifyDbFailure } from './db-failure';

describe('classifyDbFailure', () => {
  it('takes an unreachable or restarting Postgres as unavailable', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '08006', '08001', '57P01', '57P03', '53300', '40001', '40P01']) {
      expect(classifyDbFailure(Object.assign(new Error('x'), { code })), code).toBe('unavailable');
    }
    expect(classifyDbFailure(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
  });

  it('takes a refused statement as rejected', () => {
    for (const code of ['23505', '23503', '22P02', '42P01']) expect(classifyDbFailure(Object.assign(new Error('x'), { code }))).toBe('rejected');
  });
});
