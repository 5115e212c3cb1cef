import { describe, expect, it } from 'vitest';
import { planView } from '../../job-kind';
import type { NodeFacts, SourceFile } from '../../node-facts';
import { parseOrThrow } from '../../spec-error';
import { specErrorOf } from '../../spec-error.spec-helper';
import { pveFacts, walkPlan } from '../aptupgrade/fixtures.spec-helper';
import { aptReposJob, type AptReposSpec } from './aptrepos.job';
import { READ_SOURCES } from './verify-repos';

const D = '/etc/apt/sources.list.d';
/** Where the plan backs files up: named after the fixture's facts time. */
const B = '/var/lib/pvefleet/backup/aptrepos-1795420800000';
const DEBIAN_LIST =
  'deb http://deb.debian.org/debian bookworm main contrib\n\ndeb http://deb.debian.org/debian bookworm-updates main contrib\n\n# security updates\ndeb http://security.debian.org/debian-security bookworm-security main contrib\n';
const PVE8: SourceFile[] = [
  { path: '/etc/apt/sources.list', content: DEBIAN_LIST },
  { path: `${D}/ceph.list`, content: '# deb https://enterprise.proxmox.com/debian/ceph-quincy bookworm enterprise\n' },
  { path: `${D}/pve-enterprise.list`, content: '# deb https://enterprise.proxmox.com/debian/pve bookworm pve-enterprise\n' },
  { path: `${D}/pve-no-subscription.list`, content: 'deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n' },
];
const ENTERPRISE_SOURCES =
  'Types: deb\nURIs: https://enterprise.proxmox.com/debian/pve\nSuites: trixie\nComponents: pve-enterprise\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\n';
const NO_SUB_SOURCES =
  'Types: deb\nURIs: http://download.proxmox.com/debian/pve\nSuites: trixie\nComponents: pve-no-subscription\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\n';
const PVE9: SourceFile[] = [
  {
    path: `${D}/ceph.sources`,
    content:
      'Types: deb\nURIs: https://enterprise.proxmox.com/debian/ceph-squid\nSuites: trixie\nComponents: enterprise\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\nEnabled: no\n',
  },
  {
    path: `${D}/debian.sources`,
    content:
      'Types: deb deb-src\nURIs: http://deb.debian.org/debian/\nSuites: trixie trixie-updates\nComponents: main non-free-firmware\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb deb-src\nURIs: http://security.debian.org/debian-security/\nSuites: trixie-security\nComponents: main non-free-firmware\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n',
  },
  { path: `${D}/pve-enterprise.sources`, content: `${ENTERPRISE_SOURCES}Enabled: no\n` },
  { path: `${D}/proxmox.sources`, content: NO_SUB_SOURCES },
];

const spec = (params: object): AptReposSpec => parseOrThrow(aptReposJob.spec, params, 'params');
const pve8 = (aptSources = PVE8): NodeFacts => pveFacts({ aptSources });
const pve9 = (aptSources = PVE9): NodeFacts => pveFacts({ pveMajor: 9, aptSources });
const plan = (params: object, facts: NodeFacts) => aptReposJob.plan(spec(params), facts);
const writes = (params: object, facts: NodeFacts) =>
  Object.fromEntries(
    plan(params, facts)
      .steps.flatMap((s) => s.writes ?? [])
      .map((w) => [w.path, w.content]),
  );
/** The node after the plan's writes: what the next run's facts would show. */
const applied = (params: object, facts: NodeFacts): NodeFacts => {
  const w = writes(params, facts);
  const files = facts.aptSources.map((f) => ({ path: f.path, content: w[f.path] ?? f.content }));
  for (const [path, content] of Object.entries(w)) if (!files.some((f) => f.path === path)) files.push({ path, content });
  return { ...facts, aptSources: files.sort((a, b) => (a.path < b.path ? -1 : 1)) };
};
/** The read-back as the verify step captures it. */
const readBack = (facts: NodeFacts) =>
  facts.aptSources
    .map((f) => `==> ${f.path} <==\n${f.content}`)
    .join('')
    .replace(/\n$/, '');

describe('aptrepos spec', () => {
  it.each([
    [{}, 'params.channel'],
    [{ channel: 'pvetest' }, 'params.channel'],
    [{ channel: 'test; rm -rf /' }, 'params.channel'],
    [{ channel: '$(reboot)' }, 'params.channel'],
    [{ channel: 'no-subscription', suite: 'bullseye' }, 'params.suite'],
    [{ channel: 'no-subscription', suite: 'trixie\n' }, 'params.suite'],
    [{ channel: 'no-subscription', ceph: { release: 'pacific', channel: 'test' } }, 'params.ceph.release'],
    [{ channel: 'no-subscription', ceph: { release: '../squid', channel: 'test' } }, 'params.ceph.release'],
    [{ channel: 'no-subscription', ceph: { release: 'squid', channel: 'main' } }, 'params.ceph.channel'],
    [{ channel: 'no-subscription', ceph: { release: 'squid', channel: 'test', uri: 'http://evil' } }, 'params.ceph.uri'],
    [{ channel: 'no-subscription', mirror: 'http://x' }, 'params.mirror'],
  ])('rejects %j naming %s', (params, field) => {
    expect(specErrorOf(() => spec(params)).errors.map((e) => e.field)).toContain(field);
  });
});

describe('aptrepos on PVE 8 (one-line .list files)', () => {
  it('no-subscription → test: comments the no-subscription line out, adds pvetest, then verifies', () => {
    const p = plan({ channel: 'test' }, pve8());
    expect(writes({ channel: 'test' }, pve8())).toEqual({
      [`${D}/pve-no-subscription.list`]: '# deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n',
      [`${D}/pvetest.list`]: 'deb http://download.proxmox.com/debian/pve bookworm pvetest\n',
    });
    expect(p.steps.map((s) => s.command.split('\n')[0])).toEqual([
      `mkdir -p ${B}${D} && cp -a ${D}/pve-no-subscription.list ${B}${D}/pve-no-subscription.list`,
      `cat > ${D}/pve-no-subscription.list <<'PVEFLEET_EOF'`,
      `cat > ${D}/pvetest.list <<'PVEFLEET_EOF'`,
      'apt-get update',
      READ_SOURCES,
      `rm -rf ${B}`,
    ]);
    expect(p.steps[0].armsRollback).toBe(true);
    expect(p.rollback!.steps.map((s) => s.command)).toEqual([
      `cp -a ${B}${D}/pve-no-subscription.list ${D}/pve-no-subscription.list && rm -f ${D}/pvetest.list && rm -rf ${B}`,
      'apt-get update',
    ]);
    expect(p.rollback!.done).toBe(`restored ${D}/pve-no-subscription.list; removed ${D}/pvetest.list`);
    expect(p.steps[2].command).toBe(
      `cat > ${D}/pvetest.list <<'PVEFLEET_EOF'\ndeb http://download.proxmox.com/debian/pve bookworm pvetest\nPVEFLEET_EOF`,
    );
    expect(p.notes).toContain('enabled now: PVE no-subscription; wanted: PVE channel test');
  });

  it('→ enterprise: uncomments the shipped pve-enterprise.list line rather than adding one', () => {
    expect(writes({ channel: 'enterprise' }, pve8())).toEqual({
      [`${D}/pve-enterprise.list`]: 'deb https://enterprise.proxmox.com/debian/pve bookworm pve-enterprise\n',
      [`${D}/pve-no-subscription.list`]: '# deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n',
    });
  });

  it('disables a stray PVE line in /etc/apt/sources.list too, leaving the Debian lines as they are', () => {
    const stray = [
      { path: '/etc/apt/sources.list', content: `${DEBIAN_LIST}deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n` },
      ...PVE8.slice(1),
    ];
    const w = writes({ channel: 'enterprise' }, pve8(stray));
    expect(w['/etc/apt/sources.list']).toBe(`${DEBIAN_LIST}# deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n`);
    expect(Object.keys(w)).toHaveLength(3);
  });

  it('keeps exactly one entry even when the channel is enabled twice', () => {
    const twice = [
      ...PVE8,
      { path: `${D}/extra.list`, content: 'deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n' },
    ];
    expect(writes({ channel: 'no-subscription' }, pve8(twice))).toEqual({
      [`${D}/extra.list`]: '# deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n',
    });
  });

  it('is idempotent: an already-set channel writes nothing, only verifies, and says so', () => {
    const p = plan({ channel: 'no-subscription' }, pve8());
    expect(p.steps.map((s) => s.command)).toEqual(['apt-get update', READ_SOURCES]);
    expect(p.notes?.at(-1)).toBe('the PVE channel no-subscription is already set on bookworm: nothing to write, verifying only');
    for (const channel of ['enterprise', 'test', 'no-subscription']) {
      const after = applied({ channel }, pve8());
      expect(writes({ channel }, after), channel).toEqual({});
    }
  });

  it('switches back and forth between all three channels, one enabled each time', () => {
    let facts = pve8();
    for (const channel of ['test', 'enterprise', 'no-subscription', 'test', 'no-subscription']) {
      const p = plan({ channel }, facts);
      facts = applied({ channel }, facts);
      expect(walkPlan(p, { [READ_SOURCES]: readBack(facts) }).failure, channel).toBeUndefined();
      expect(writes({ channel }, facts), channel).toEqual({});
    }
    expect(facts.aptSources.map((f) => f.path)).toEqual([
      '/etc/apt/sources.list',
      `${D}/ceph.list`,
      `${D}/pve-enterprise.list`,
      `${D}/pve-no-subscription.list`,
      `${D}/pvetest.list`,
    ]);
  });

  it('Ceph: one release and channel enabled, in ceph.list', () => {
    const ceph = [
      ...PVE8.filter((f) => !f.path.endsWith('ceph.list')),
      { path: `${D}/ceph.list`, content: 'deb http://download.proxmox.com/debian/ceph-reef bookworm no-subscription\n' },
    ];
    expect(writes({ channel: 'no-subscription', ceph: { release: 'squid', channel: 'test' } }, pve8(ceph))).toEqual({
      [`${D}/ceph.list`]:
        '# deb http://download.proxmox.com/debian/ceph-reef bookworm no-subscription\ndeb http://download.proxmox.com/debian/ceph-squid bookworm test\n',
    });
  });

  it('the major-upgrade switch to trixie: every suite, pvetest → pve-test, mirror hosts unchanged', () => {
    const test = applied({ channel: 'test' }, pve8());
    const w = writes({ channel: 'test', suite: 'trixie' }, test);
    expect(w).toEqual({
      '/etc/apt/sources.list':
        'deb http://deb.debian.org/debian trixie main contrib\n\ndeb http://deb.debian.org/debian trixie-updates main contrib\n\n# security updates\ndeb http://security.debian.org/debian-security trixie-security main contrib\n',
      [`${D}/pve-enterprise.list`]: '# deb https://enterprise.proxmox.com/debian/pve trixie pve-enterprise\n',
      [`${D}/pve-no-subscription.list`]: '# deb http://download.proxmox.com/debian/pve trixie pve-no-subscription\n',
      [`${D}/pvetest.list`]: 'deb http://download.proxmox.com/debian/pve trixie pve-test\n',
    });
    const p = plan({ channel: 'test', suite: 'trixie' }, test);
    expect(p.notes).toContain(
      'major-upgrade switch bookworm → trixie: Debian, PVE and Ceph suites change, mirror hosts stay, pvetest becomes pve-test',
    );
    const after = applied({ channel: 'test', suite: 'trixie' }, test);
    expect(walkPlan(p, { [READ_SOURCES]: readBack(after) }).failure).toBeUndefined();
    expect(walkPlan(p, { [READ_SOURCES]: readBack(test) }).failure).toMatch(/^repositories not as intended: .*still on bookworm/);
  });

  it('refuses a switch that would leave Ceph without a trixie repository', () => {
    const reef = [
      ...PVE8.slice(0, 1),
      { path: `${D}/ceph.list`, content: 'deb http://download.proxmox.com/debian/ceph-reef bookworm no-subscription\n' },
      ...PVE8.slice(2),
    ];
    const { errors } = specErrorOf(() => plan({ channel: 'no-subscription', suite: 'trixie' }, pve8(reef)));
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('params.ceph');
    expect(errors[0].message).toContain('Ceph reef is enabled in /etc/apt/sources.list.d/ceph.list');
    expect(
      writes({ channel: 'no-subscription', suite: 'trixie', ceph: { release: 'squid', channel: 'no-subscription' } }, pve8(reef))[
        `${D}/ceph.list`
      ],
    ).toBe(
      '# deb http://download.proxmox.com/debian/ceph-reef bookworm no-subscription\ndeb http://download.proxmox.com/debian/ceph-squid trixie no-subscription\n',
    );
    expect(() => plan({ channel: 'no-subscription', ceph: { release: 'quincy', channel: 'test' }, suite: 'trixie' }, pve8())).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'params.ceph.release' })] }),
    );
  });
});

describe('aptrepos on PVE 9 (deb822 .sources files)', () => {
  it('no-subscription → test: Enabled: no on the old stanza, a pve-test stanza in proxmox.sources', () => {
    expect(writes({ channel: 'test' }, pve9())).toEqual({
      [`${D}/proxmox.sources`]: `${NO_SUB_SOURCES}Enabled: no\n\n${NO_SUB_SOURCES.replace('pve-no-subscription', 'pve-test')}`,
    });
  });

  it('→ enterprise: the shipped pve-enterprise.sources returns to its exact text', () => {
    expect(writes({ channel: 'enterprise' }, pve9())).toEqual({
      [`${D}/pve-enterprise.sources`]: ENTERPRISE_SOURCES,
      [`${D}/proxmox.sources`]: `${NO_SUB_SOURCES}Enabled: no\n`,
    });
  });

  it('enterprise-only node → no-subscription: creates proxmox.sources as the docs write it', () => {
    const stock = [PVE9[1], { path: `${D}/pve-enterprise.sources`, content: ENTERPRISE_SOURCES }];
    expect(writes({ channel: 'no-subscription' }, pve9(stock))).toEqual({
      [`${D}/pve-enterprise.sources`]: `${ENTERPRISE_SOURCES}Enabled: no\n`,
      [`${D}/proxmox.sources`]: NO_SUB_SOURCES,
    });
  });

  it('is idempotent across all three channels and verifies the read-back', () => {
    let facts = pve9();
    for (const channel of ['test', 'enterprise', 'no-subscription', 'test']) {
      const p = plan({ channel }, facts);
      facts = applied({ channel }, facts);
      expect(writes({ channel }, facts), channel).toEqual({});
      expect(walkPlan(p, { [READ_SOURCES]: readBack(facts) }).failure, channel).toBeUndefined();
    }
  });

  it('Ceph squid enabled by dropping its Enabled: no', () => {
    expect(writes({ channel: 'no-subscription', ceph: { release: 'squid', channel: 'enterprise' } }, pve9())).toEqual({
      [`${D}/ceph.sources`]:
        'Types: deb\nURIs: https://enterprise.proxmox.com/debian/ceph-squid\nSuites: trixie\nComponents: enterprise\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\n',
    });
  });

  it('refuses going back to bookworm', () => {
    expect(() => plan({ channel: 'test', suite: 'bookworm' }, pve9())).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'params.suite' })] }),
    );
  });
});

describe('aptrepos checks', () => {
  it('a node without PVE has no channel to set', () => {
    expect(() => plan({ channel: 'test' }, pveFacts({ pveversion: null, pveManagerVersion: null, pveMajor: null }))).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'params.channel' })] }),
    );
  });

  it('never plans blind: facts without any sources file are refused', () => {
    const { errors } = specErrorOf(() => plan({ channel: 'test' }, pve8([])));
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('params.channel');
    expect(errors[0].message).toContain('no APT sources files');
  });

  it('fails verification when two PVE channels read back enabled', () => {
    const p = plan({ channel: 'no-subscription' }, pve8());
    const both = readBack(
      pve8([...PVE8, { path: `${D}/pvetest.list`, content: 'deb http://download.proxmox.com/debian/pve bookworm pvetest\n' }]),
    );
    expect(walkPlan(p, { [READ_SOURCES]: both }).failure).toBe(
      `repositories not as intended: expected exactly one enabled PVE repository, deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription; found: ${D}/pve-no-subscription.list: deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription; ${D}/pvetest.list: deb http://download.proxmox.com/debian/pve bookworm pvetest`,
    );
  });

  it('apt-get update failing (enterprise without a subscription) names the repository; the rollback names what it restored', () => {
    const update = plan({ channel: 'enterprise' }, pve8()).steps.find((s) => s.command === 'apt-get update')!;
    expect(update.okExitCodes).toEqual([0, 100]);
    const stdout =
      'Hit:1 http://deb.debian.org/debian bookworm InRelease\nErr:5 https://enterprise.proxmox.com/debian/pve bookworm InRelease\n  401  Unauthorized [IP: 51.91.38.34 443]\nReading package lists...';
    expect(update.verify!({ stdout, exitCode: 100 }, {})).toBe(
      `command 'apt-get update' failed: exit code 100: https://enterprise.proxmox.com/debian/pve bookworm: 401 Unauthorized [IP: 51.91.38.34 443] (the enterprise repository needs a valid subscription key on the node)`,
    );
    expect(update.verify!({ stdout: '', exitCode: 0 }, {})).toBeUndefined();
    const { rollback } = plan({ channel: 'enterprise' }, pve8());
    expect(rollback!.done).toBe(`restored ${D}/pve-enterprise.list, ${D}/pve-no-subscription.list`);
    const again = rollback!.steps[1];
    expect(again.verify!({ stdout, exitCode: 100 }, {})).toBe(
      `restored ${D}/pve-enterprise.list, ${D}/pve-no-subscription.list, but apt-get update still fails: https://enterprise.proxmox.com/debian/pve bookworm: 401 Unauthorized [IP: 51.91.38.34 443]`,
    );
  });

  it('dry runs show every file with its content, and the result names the changes', () => {
    const view = planView(plan({ channel: 'test' }, pve8()));
    expect(view.steps[0]).toMatchObject({ description: `back up the files this plan rewrites to ${B}`, armsRollback: true });
    expect(view.steps[1]).toMatchObject({
      description: `rewrite ${D}/pve-no-subscription.list`,
      writes: [{ path: `${D}/pve-no-subscription.list` }],
    });
    expect(view.steps[2]).toMatchObject({ description: `create ${D}/pvetest.list` });
    expect(view.steps.at(-2)).toMatchObject({ verifies: true });
    expect(view.rollback).toMatchObject({
      describe: `restoring ${D}/pve-no-subscription.list, ${D}/pvetest.list as they were before this task`,
      steps: [{}, { command: 'apt-get update', verifies: true }],
    });
    expect(view.rollback?.steps[0].command).toMatch(/^cp -a /);
    const result = aptReposJob.finish!(spec({ channel: 'test' }), {}, { facts: pve8(), now: 0 }).result;
    expect(result).toMatchObject({
      channel: 'test',
      suite: 'bookworm',
      layout: 'one-line',
      changedFiles: [`${D}/pve-no-subscription.list`, `${D}/pvetest.list`],
    });
  });

  it('falls back to printf when a file holds the heredoc delimiter, and ignores files apt ignores', () => {
    const odd = [
      ...PVE8.slice(0, 3),
      {
        path: `${D}/pve-no-subscription.list`,
        content: 'PVEFLEET_EOF\ndeb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n',
      },
      { path: `${D}/bad name.list`, content: 'deb http://download.proxmox.com/debian/pve bookworm pvetest\n' },
    ];
    const p = plan({ channel: 'enterprise' }, pve8(odd));
    expect(p.steps[2].command).toBe(
      `printf '%s' 'PVEFLEET_EOF\n# deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n' > ${D}/pve-no-subscription.list`,
    );
    expect(p.notes).toContain(`ignored ${D}/bad name.list: apt does not read files named like this`);
  });
});
