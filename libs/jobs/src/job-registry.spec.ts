import { errorClassOf } from '@pvefleet/errors';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { JOB_KINDS, type TaskParams } from './job-catalog';
import type { JobKind } from './job-kind';
import { JobRegistry } from './job-registry';
import { factsJob } from './kinds/facts/facts.job';
import { SpecError } from './spec-error';
import { TASK_TYPES, isTaskType, parseTaskType } from './task-type';

const without = (type: string): JobKind[] => JOB_KINDS.filter((k) => k.type !== type);

describe('JobRegistry', () => {
  it('has exactly one kind for every task type', () => {
    const registry = new JobRegistry();
    expect(registry.types.sort()).toEqual([...TASK_TYPES].sort());
    expect(registry.get('aptupgrade').type).toBe('aptupgrade');
  });

  it('refuses a type registered twice', () => {
    expect(() => new JobRegistry([...JOB_KINDS, factsJob])).toThrow(/job kind 'facts' is registered twice/);
  });

  it('refuses to start when a task type has no kind', () => {
    expect(() => new JobRegistry(without('cephflag'))).toThrow(/no job kind for task type 'cephflag'/);
  });

  it('refuses a kind whose type is no task type', () => {
    const stray = { ...factsJob, type: 'factz' } as unknown as JobKind;
    expect(() => new JobRegistry([...JOB_KINDS, stray])).toThrow(/job kind 'factz' names no task type/);
  });

  it('refuses a mutating kind that does not say how it is read back', () => {
    const unverified: JobKind = { ...JOB_KINDS.find((k) => k.type === 'aptupdate')!, readBack: undefined };
    expect(() => new JobRegistry([...without('aptupdate'), unverified])).toThrow(/'aptupdate' is mutating but .* read back/);
  });

  it('every mutating kind says how it is read back, and only exec admits it cannot be', () => {
    const mutating = JOB_KINDS.filter((k) => k.mutating);
    expect(mutating.every((k) => k.readBack)).toBe(true);
    expect(mutating.filter((k) => k.readBack?.by === 'none').map((k) => k.type)).toEqual(['exec']);
  });

  it('answers a string from outside with undefined when it names no kind', () => {
    const registry = new JobRegistry();
    expect(registry.get('nosuchtype')).toBeUndefined();
    const fromRow: string = 'facts';
    expect(registry.get(fromRow)?.type).toBe('facts');
  });
});

describe('task types', () => {
  it('parses a type read from a row, refusing unknown ones as permanent', () => {
    expect(isTaskType('aptupgrade')).toBe(true);
    expect(isTaskType('apt-upgrade')).toBe(false);
    expect(parseTaskType('ntp')).toBe('ntp');
    let thrown: unknown;
    try {
      parseTaskType('bogus');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(/unknown task type 'bogus'/);
    expect(errorClassOf(thrown)).toBe('permanent');
  });

  it('types params per task type from its spec', () => {
    expectTypeOf<TaskParams<'hamaintenance'>>().toEqualTypeOf<{ node: string; enable: boolean; waitSeconds?: number }>();
    expectTypeOf<{ flag: 'noout'; set: true }>().toExtend<TaskParams<'cephflag'>>();
  });

  it('classes spec errors as permanent', () => {
    expect(errorClassOf(new SpecError([{ field: 'params', message: 'x' }]))).toBe('permanent');
  });
});
