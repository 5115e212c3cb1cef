import { describe, expect, it } from 'vitest';
import { ClassifiedError, errorClassOf, isErrorClass } from './index';

describe('error classes', () => {
  it('reads the class an error carries, and falls back for anything else', () => {
    expect(errorClassOf(new ClassifiedError('host-key', 'changed'))).toBe('host-key');
    expect(errorClassOf(Object.assign(new Error('x'), { errorClass: 'retryable' }))).toBe('retryable');
    expect(errorClassOf(new Error('worker lost'))).toBe('permanent');
    expect(errorClassOf('text', 'interrupted')).toBe('interrupted');
  });

  it('knows the seven classes and nothing else', () => {
    expect(isErrorClass('timeout')).toBe(true);
    expect(isErrorClass('interrupted: worker lost')).toBe(false);
  });
});
