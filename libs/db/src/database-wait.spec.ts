import { describe, expect, it } from 'vitest';
import { databaseAddress } from './database-wait';

describe('databaseAddress', () => {
  it('names host and port, never the user or password', () => {
    expect(databaseAddress('postgresql://u:secret@db.example:5433/pvefleet')).toBe('db.example:5433');
    expect(databaseAddress('postgres://u@127.0.0.1/pvefleet')).toBe('127.0.0.1:5432');
  });
});
