import { describe, expect, it } from 'vitest';
import { classifyDbFailure } from './db-failure';

const withCode = (code: string, extra: object = {}) => Object.assign(new Error('x'), { code, ...extra });

describe('classifyDbFailure', () => {
  it('takes an unreachable or restarting Postgres as unavailable', () => {
    for (const code of [
      'ECONNREFUSED',
      'ECONNRESET',
      '08006',
      '08001',
      '57P01',
      '57P03',
      '53300',
      '40001',
      '40P01',
      '57014',
      'P1001',
      'P1017',
      'P2024',
    ]) {
      expect(classifyDbFailure(withCode(code)), code).toBe('unavailable');
    }
    const closed = withCode('P2010', { meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } } });
    expect(classifyDbFailure(closed)).toBe('unavailable');
  });

  it('takes a refused statement, or a bug, as rejected', () => {
    for (const code of ['23505', '23503', '22P02', '42P01', 'P2002', 'P2025'])
      expect(classifyDbFailure(withCode(code)), code).toBe('rejected');
    const unique = withCode('P2010', { meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '23505' } } } });
    expect(classifyDbFailure(unique)).toBe('rejected');
    expect(classifyDbFailure(new TypeError('x is undefined'))).toBe('rejected');
  });

  it('says when the driver gave nothing to go by', () => {
    expect(classifyDbFailure(new Error('Connection terminated unexpectedly'))).toBe('unknown');
  });
});
