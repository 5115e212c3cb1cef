import { describe, expect, it } from 'vitest';
import { JobRegistry } from './job-registry';
import { factsJob } from './kinds/facts/facts.job';

describe('JobRegistry', () => {
  it('knows the spine kinds', () => {
    expect(new JobRegistry().types).toEqual(expect.arrayContaining(['facts', 'aptupdate']));
  });

  it('refuses a type registered twice', () => {
    expect(() => new JobRegistry([factsJob, factsJob])).toThrow(/registered twice/);
  });
});
