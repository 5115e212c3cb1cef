import { SpecError } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { CommandCutOff, TaskFailure, describeFailure, failureClass } from './task-failure';

describe('task failures', () => {
  it('keep the class they were given, permanent by default', () => {
    expect(failureClass(new TaskFailure('command failed: exit code 1'))).toBe('permanent');
    expect(failureClass(new TaskFailure('got timeout', 'timeout'))).toBe('timeout');
    expect(failureClass(new CommandCutOff('connection lost'))).toBe('retryable');
    expect(failureClass(Object.assign(new Error('host key changed'), { errorClass: 'host-key' }))).toBe('host-key');
  });

  it('take Postgres being away as retryable and anything unknown as permanent', () => {
    expect(failureClass(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe('retryable');
    expect(failureClass(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe('permanent');
    expect(failureClass(new TypeError('x is undefined'))).toBe('permanent');
    expect(failureClass(new SpecError([{ field: 'params.x', message: 'required' }]))).toBe('permanent');
  });

  it('describe themselves in one line, as Proxmox writes an exitstatus', () => {
    expect(describeFailure(new TaskFailure('a\n  b'))).toBe('a b');
    expect(describeFailure(new SpecError([{ field: 'params.x', message: 'required' }]))).toBe('invalid parameters: params.x: required');
    expect(describeFailure(new Error('boom'))).toBe('internal error: boom');
  });
});
