import { describe, expect, it } from 'vitest';
import { aptUpdateJob } from './aptupdate.job';

describe('aptupdate job', () => {
  it('is mutating and runs apt-get update exactly', () => {
    expect(aptUpdateJob.mutating).toBe(true);
    expect(aptUpdateJob.plan({}, null).steps.map((s) => s.command)).toEqual(['apt-get update']);
  });

  it('takes no params', () => {
    expect(aptUpdateJob.spec.safeParse({}).success).toBe(true);
    expect(aptUpdateJob.spec.safeParse({ force: true }).success).toBe(false);
  });
});
