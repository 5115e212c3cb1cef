import { describe, expect, it } from 'vitest';
import { factsJob } from './facts.job';
import { FACTS_MARKER, FACT_SECTIONS, factsScript, splitSections } from './facts-script';

const OS_RELEASE_PVE8 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`;

/** What the script prints: each marker line, then the command's output (ending in a newline when there is any). */
const sectionsOutput = (values: Partial<Record<keyof typeof FACT_SECTIONS, string>>) =>
  Object.keys(FACT_SECTIONS)
    .map((k) => {
      const v = values[k as keyof typeof FACT_SECTIONS];
      return `${FACTS_MARKER}${k}\n${v ? `${v}\n` : ''}`;
    })
    .join('');

describe('facts job', () => {
  it('is read-only and reads everything in one script, stderr discarded', () => {
    expect(factsJob.mutating).toBe(false);
    const steps = factsJob.plan({}, null).steps;
    expect(steps).toHaveLength(1);
    expect(steps[0].command).toBe(factsScript());
    for (const [name, cmd] of Object.entries(FACT_SECTIONS))
      expect(steps[0].command).toContain(`echo '${FACTS_MARKER}${name}'\n${cmd} 2>/dev/null`);
  });

  it('rejects unknown params', () => {
    expect(factsJob.spec.safeParse({ extra: 1 }).success).toBe(false);
  });

  it('splits the output back into sections', () => {
    const s = splitSections(sectionsOutput({ hostname: 'pve1', kernel: '6.8.12-13-pve' }));
    expect(s.hostname).toBe('pve1\n');
    expect(s.kernel).toBe('6.8.12-13-pve\n');
    expect(s.pvecm).toBe('');
  });

  it('keeps a last line that had no newline before the next marker', () => {
    const s = splitSections(`${FACTS_MARKER}chronyConf\npool x iburst${FACTS_MARKER}timesyncdConf\n[Time]\n`);
    expect(s.chronyConf).toBe('pool x iburst');
    expect(s.timesyncdConf).toBe('[Time]\n');
  });

  it('parses a PVE 8 node', () => {
    const stdout = sectionsOutput({
      hostname: 'pve1',
      kernel: '6.8.12-13-pve',
      osRelease: OS_RELEASE_PVE8,
      uptime: '12345.67 40000.00',
      bootId: 'c0ffee00-1111-2222-3333-444455556666',
      pveversion: 'pve-manager/8.4.11/14a32011146091ed (running kernel: 6.8.12-13-pve)',
    });
    const { facts } = factsJob.finish!({}, { facts: { stdout, exitCode: 0 } }, { facts: null, now: 1_700_000_000_000 });
    expect(facts).toMatchObject({
      collectedAt: 1_700_000_000_000,
      hostname: 'pve1',
      kernel: '6.8.12-13-pve',
      pveManagerVersion: '8.4.11',
      pveMajor: 8,
      os: { id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
      uptimeSeconds: 12345,
      bootId: 'c0ffee00-1111-2222-3333-444455556666',
    });
  });

  it('records a plain Debian host without PVE tools', () => {
    const stdout = sectionsOutput({ hostname: 'h', kernel: '6.1.0-28-amd64', osRelease: OS_RELEASE_PVE8, uptime: '5.0 1.0' });
    const { facts } = factsJob.finish!({}, { facts: { stdout, exitCode: 0 } }, { facts: null, now: 1 });
    expect(facts?.pveversion).toBeNull();
    expect(facts?.pveMajor).toBeNull();
    expect(facts?.cluster).toBeNull();
  });
});
