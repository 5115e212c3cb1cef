import { describe, expect, it } from 'vitest';
import type { NodeFacts } from '@pvefleet/jobs';
import { rolloutRequestSchema } from './rollout.schemas';
import { describeStop, nextStep, type NodeContext, type StepName } from './node-steps';

const spec = (extra: object = {}) => rolloutRequestSchema.parse({ selector: { all: true }, ...extra });
const facts = (f: Partial<NodeFacts>): NodeFacts =>
  ({
    pveMajor: 8,
    pveManagerVersion: '8.4.11',
    kernel: '6.8.12-13-pve',
    upgradable: [{ name: 'pve-manager' }],
    kernels: { rebootRequired: false },
    ha: { services: [] },
    // Facts always list the sources files (parseFacts); none here unless a test gives them.
    aptSources: [],
    ...f,
  }) as unknown as NodeFacts;
const ctx = (over: Partial<NodeContext> = {}): NodeContext => ({
  node: 'pve1',
  clustered: true,
  ceph: false,
  spec: spec(),
  facts: facts({}),
  migrationTargets: () => ['pve2', 'pve3'],
  evacuated: () => [
    { vmid: 101, type: 'qemu' },
    { vmid: 102, type: 'lxc' },
  ],
  ...over,
});

/** Walks the whole sequence, as the orchestrator would when every step succeeds. */
function walk(c: NodeContext): string[] {
  const seen: string[] = [];
  let prev: StepName | null = null;
  for (let i = 0; i < 20; i++) {
    const next = nextStep(prev, c);
    if (!('task' in next)) return [...seen, Object.keys(next)[0]];
    seen.push(`${next.task.step}:${next.task.type}`);
    prev = next.task.step;
  }
  throw new Error('no end');
}

describe('a node through a rollout', () => {
  it('clustered with HA: maintenance, evacuation, upgrade, health, back', () => {
    expect(walk(ctx())).toEqual([
      'refresh:aptupdate',
      'inspect:facts',
      'maintenance:hamaintenance',
      'evacuate:evacuate',
      'upgrade:aptupgrade',
      'health:nodehealth',
      'leave:hamaintenance',
      'return:returnguests',
      'verify:facts',
      'done',
    ]);
  });

  it('on Ceph, noout is set before the upgrade and unset after the node is healthy', () => {
    expect(walk(ctx({ ceph: true }))).toEqual([
      'refresh:aptupdate',
      'inspect:facts',
      'maintenance:hamaintenance',
      'evacuate:evacuate',
      'noout:cephflag',
      'upgrade:aptupgrade',
      'health:nodehealth',
      'noout-unset:cephflag',
      'leave:hamaintenance',
      'return:returnguests',
      'verify:facts',
      'done',
    ]);
  });

  it('a node with nothing to upgrade is skipped right after inspection, never touched', () => {
    expect(walk(ctx({ facts: facts({ upgradable: [] }) }))).toEqual(['refresh:aptupdate', 'inspect:facts', 'skip']);
  });

  it('an up-to-date node with a newer kernel waiting still goes through (it needs its reboot)', () => {
    expect(walk(ctx({ facts: facts({ upgradable: [], kernels: { rebootRequired: true } as NodeFacts['kernels'] }) }))).toContain(
      'upgrade:aptupgrade',
    );
  });

  it('standalone: no maintenance, no evacuation, no cluster health', () => {
    expect(walk(ctx({ clustered: false, facts: facts({ ha: null }) }))).toEqual([
      'refresh:aptupdate',
      'inspect:facts',
      'upgrade:aptupgrade',
      'verify:facts',
      'done',
    ]);
  });

  it('reboot: never moves no guests and sets no noout', () => {
    const steps = walk(ctx({ ceph: true, spec: spec({ job: { params: { reboot: 'never' } } }) }));
    expect(steps).not.toContain('evacuate:evacuate');
    expect(steps).not.toContain('noout:cephflag');
  });

  it('fails the node when no guest can move anywhere safe', () => {
    expect(walk(ctx({ migrationTargets: () => [] })).at(-1)).toBe('fail');
  });

  it('evacuates to every eligible node (placement happens at run time) and brings back exactly the guests that left', () => {
    expect(nextStep('maintenance', ctx())).toMatchObject({
      task: { type: 'evacuate', params: { targets: ['pve2', 'pve3'], waitSeconds: 1800 } },
    });
    expect(nextStep('leave', ctx())).toMatchObject({
      task: {
        type: 'returnguests',
        params: {
          guests: [
            { vmid: 101, type: 'qemu' },
            { vmid: 102, type: 'lxc' },
          ],
        },
      },
    });
    expect(walk(ctx({ spec: spec({ returnGuests: false }) }))).not.toContain('return:returnguests');
    expect(walk(ctx({ evacuated: () => [] }))).not.toContain('return:returnguests');
  });

  it('a rollout never lets the upgrade ignore or migrate guests itself', () => {
    expect(rolloutRequestSchema.safeParse({ selector: { all: true }, job: { params: { guests: 'ignore' } } }).success).toBe(false);
    expect(rolloutRequestSchema.safeParse({ selector: { all: true }, job: { params: { guests: 'migrate' } } }).success).toBe(false);
    expect(rolloutRequestSchema.safeParse({ selector: { all: true }, job: { params: { guests: 'shutdown' } } }).success).toBe(true);
  });

  it('a major upgrade switches the repositories first (keeping the channel), and skips nodes on 9', () => {
    const aptSources = [
      {
        path: '/etc/apt/sources.list.d/pve-enterprise.list',
        content: 'deb https://enterprise.proxmox.com/debian/pve bookworm pve-enterprise\n',
      },
    ];
    const major = ctx({ spec: spec({ majorUpgrade: true }), facts: facts({ aptSources }) });
    expect(walk(major)).toContain('repos:aptrepos');
    expect(nextStep('evacuate', major)).toMatchObject({ task: { params: { channel: 'enterprise', suite: 'trixie' } } });
    expect(walk(ctx({ spec: spec({ majorUpgrade: true }) })).at(-1)).toBe('fail');
    expect(walk(ctx({ spec: spec({ majorUpgrade: true }), facts: facts({ pveMajor: 9 }) })).at(-1)).toBe('skip');
  });

  it('passes the reboot policy and timeouts to the upgrade', () => {
    const next = nextStep('evacuate', ctx({ spec: spec({ job: { params: { reboot: 'always' } }, timeouts: { reboot: 120 } }) }));
    expect(next).toEqual({
      task: { step: 'upgrade', type: 'aptupgrade', params: { reboot: 'always', rebootTimeoutSeconds: 120 }, doing: 'upgrading' },
    });
  });

  it('says where a stopped node is left', () => {
    expect(describeStop(['refresh', 'inspect', 'maintenance', 'evacuate', 'noout'])).toBe(
      'still in HA maintenance mode; ceph noout still set; guests moved away, not upgraded',
    );
    expect(describeStop(['refresh'])).toBe('untouched');
    expect(describeStop(['refresh', 'inspect', 'maintenance', 'evacuate', 'leave', 'return'])).toBe('not upgraded; its guests are back');
    expect(describeStop(['refresh', 'inspect', 'maintenance', 'evacuate', 'upgrade', 'health', 'leave'])).toBe(
      'upgraded; its guests are still on other nodes',
    );
  });
});
