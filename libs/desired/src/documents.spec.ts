import { parseOrThrow, SpecError } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { DESIRED_FIELDS } from './desired-fields';
import { desiredFieldsSchema } from './documents';

const fieldsOf = (v: unknown) => parseOrThrow(desiredFieldsSchema, v, 'fields');
const errorsOf = (v: unknown) => {
  try {
    fieldsOf(v);
  } catch (err) {
    if (err instanceof SpecError) return err.errors;
    throw err;
  }
  throw new Error('no SpecError');
};

describe('desiredFieldsSchema', () => {
  it('accepts each field by its key, with its schema parsing the value and the mode optional', () => {
    expect(fieldsOf({ ntp: { value: { servers: ['a.example.com'] } }, repos: { value: { channel: 'test' }, mode: 'report' } })).toEqual({
      ntp: { value: { servers: ['a.example.com'], keepDefaultPool: true } },
      repos: { value: { channel: 'test' }, mode: 'report' },
    });
    expect(fieldsOf({})).toEqual({});
  });

  it('names the offending path under fields.<key>', () => {
    expect(errorsOf({ color: { value: 1 } })).toEqual([{ field: 'fields.color', message: 'unknown field' }]);
    expect(errorsOf({ ntp: { value: { servers: ['ok.example.com', 'bad host'] } } }).map((e) => e.field)).toEqual([
      'fields.ntp.value.servers.1',
    ]);
    expect(errorsOf({ ntp: { value: { servers: ['a.example.com'] }, mode: 'auto' } }).map((e) => e.field)).toEqual(['fields.ntp.mode']);
    expect(errorsOf({ ntp: { servers: ['a.example.com'] } }).map((e) => e.field)).toEqual(
      expect.arrayContaining(['fields.ntp.value', 'fields.ntp.servers']),
    );
  });

  it('the registry has one field per key', () => {
    const keys = DESIRED_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
