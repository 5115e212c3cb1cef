import { describe, expect, it } from 'vitest';
import { commandFaultSpec, diskState, oneOf, optStrings } from './bodies';

describe('control request bodies', () => {
  it('reads a command fault spec and refuses one without a usable action', () => {
    expect(commandFaultSpec({ match: { regex: '^pveversion' }, action: { kind: 'fail', exitCode: 42, stderr: 'nope' }, times: 1 })).toEqual(
      {
        match: { regex: '^pveversion', flags: undefined },
        action: { kind: 'fail', exitCode: 42, stderr: 'nope', stdout: undefined },
        times: 1,
      },
    );
    expect(commandFaultSpec({ match: 'apt-get update', action: { kind: 'hang' } })).toMatchObject({ action: { kind: 'hang' } });
    expect(() => commandFaultSpec({ match: 'x', action: { kind: 'explode' } })).toThrow(/action.kind must be one of/);
    expect(() => commandFaultSpec({ match: 'x', action: { kind: 'fail' } })).toThrow(/exitCode is required/);
    expect(() => commandFaultSpec({ match: 3, action: { kind: 'hang' } })).toThrow(/match must be/);
  });

  it('reads disk state, enumerations and string lists', () => {
    expect(diskState({})).toEqual({ fstype: undefined, foreignPool: null });
    expect(diskState({ fstype: null, foreignPool: { name: 'tank', state: 'exported' } })).toEqual({
      fstype: null,
      foreignPool: { name: 'tank', state: 'exported' },
    });
    expect(() => diskState({ foreignPool: { name: 'tank', state: 'gone' } })).toThrow(/foreignPool/);
    expect(oneOf(undefined, ['normal', 'hang'], 'mode', 'normal')).toBe('normal');
    expect(() => oneOf('sideways', ['normal', 'hang'], 'mode', 'normal')).toThrow('mode must be one of normal, hang');
    expect(optStrings(['a'], 'warnings')).toEqual(['a']);
    expect(() => optStrings([1], 'warnings')).toThrow(/list of strings/);
  });
});
