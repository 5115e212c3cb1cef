import { describe, expect, it } from 'vitest';
import { finiteNumber, isRecord, parseJson, stringOrNull } from './json';

describe('json helpers', () => {
  it('parses without throwing', () => {
    expect(parseJson('[1]\n')).toEqual([1]);
    expect(parseJson('')).toBeUndefined();
    expect(parseJson('{')).toBeUndefined();
  });

  it('narrows values', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(stringOrNull('a')).toBe('a');
    expect(stringOrNull(1)).toBeNull();
    expect(finiteNumber(5)).toBe(5);
    expect(finiteNumber('12')).toBe(12);
    expect(finiteNumber(' ')).toBeNull();
    expect(finiteNumber('N/A')).toBeNull();
    expect(finiteNumber(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
