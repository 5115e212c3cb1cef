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

  it('reads apt back: a repository it could not fetch fails the task even when apt exits 0', () => {
    const [step] = aptUpdateJob.plan({}, null).steps;
    const ok = 'Hit:1 http://deb.debian.org/debian bookworm InRelease\nReading package lists...';
    expect(step.verify?.({ stdout: ok, exitCode: 0 }, {})).toBeUndefined();
    const failed = 'Err:2 http://download.proxmox.com/debian/pve bookworm InRelease\n  Could not resolve host\nReading package lists...';
    expect(step.verify?.({ stdout: failed, exitCode: 0 }, {})).toBe(
      'apt-get update kept old indexes: http://download.proxmox.com/debian/pve bookworm: Could not resolve host',
    );
  });
});
