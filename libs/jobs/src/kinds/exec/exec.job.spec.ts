import { describe, expect, it } from 'vitest';
import { execJob, execSpec } from './exec.job';

describe('exec job', () => {
  it('runs the program with every argument quoted as one word', () => {
    const spec = execSpec.parse({ argv: ['echo', 'a b', '$(id)', "it's", '`x`'] });
    expect(execJob.plan(spec, null).steps[0].command).toBe(`echo 'a b' '$(id)' 'it'\\''s' '\`x\`'`);
  });

  it('is mutating unless declared read-only', () => {
    expect(execJob.isMutating!(execSpec.parse({ argv: ['pveversion'] }))).toBe(true);
    expect(execJob.isMutating!(execSpec.parse({ argv: ['pveversion'], readOnly: true }))).toBe(false);
  });

  it.each([
    [{ argv: [] }, 'argv'],
    [{ argv: ['rm;id'] }, 'argv.0'],
    [{ argv: ['../bin/sh'] }, 'argv.0'],
    [{ argv: ['sh -c'] }, 'argv.0'],
    [{ argv: ['echo', 'a\nb'] }, 'argv.1'],
    [{ argv: ['echo'], shell: 'x' }, ''],
  ])('refuses %j', (input, path) => {
    const r = execSpec.safeParse(input);
    expect(r.success).toBe(false);
    if (path) expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
