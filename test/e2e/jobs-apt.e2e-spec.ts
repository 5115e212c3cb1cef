import { errorBody } from '@pvefleet/contracts';
import type { NodeFacts } from '@pvefleet/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import { startTask, taskLog, waitForStatus, type TaskJson } from '../support/tasks';

const DIST_UPGRADE =
  'DEBIAN_FRONTEND=noninteractive apt-get -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold dist-upgrade';
const D = '/etc/apt/sources.list.d';

interface ReposResult {
  changedFiles: string[];
}

interface PlanStep {
  command: string;
  onlyIf?: string;
  reboots?: boolean;
  verifies?: boolean;
  writes?: { path: string; content: string }[];
}

interface UpgradeResult {
  upToDate: boolean;
  upgradable: { name: string; from: string; to: string; arch: string; suite: string }[];
  rebootRequired: boolean;
  rebooted: boolean;
  kernelBefore: string;
  kernelAfter: string;
  nextBootKernel: string | null;
  reboots?: { bootIdBefore: string; bootIdAfter: string; kernel: string }[];
}

/**
 * aptupgrade and aptrepos against simulated PVE 8 and 9 nodes: each test takes nodes of its own and
 * checks what the node ended up with through the simulator's state, not only what the task says.
 */
describe('apt jobs: aptupgrade and aptrepos', () => {
  let stack: Stack;
  /** PVE 8, no subscription: every node starts on no-subscription with a new kernel pending. */
  let pve8: TestFleet;
  /** PVE 8 and PVE 9 (with Ceph) nodes that hold a subscription, so enterprise repositories answer. */
  let pve8sub: TestFleet;
  let pve9sub: TestFleet;
  let a: string[];

  beforeAll(async () => {
    [stack, pve8, pve8sub, pve9sub] = await Promise.all([
      Stack.start(),
      TestFleet.start({ nodes: 10 }),
      TestFleet.start({ nodes: 1, sim: { subscription: true } }),
      TestFleet.start({ nodes: 1, pveMajor: 9, ceph: true, sim: { subscription: true } }),
    ]);
    a = await pve8.register(stack);
    await pve8sub.register(stack);
    await pve9sub.register(stack);
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), pve8?.stop(), pve8sub?.stop(), pve9sub?.stop()]);
  });

  /** Every task this file ran, for the check that no log shows internal markers. */
  const upids: string[] = [];
  const run = async (node: string, type: string, params: object = {}): Promise<TaskJson> => {
    const upid = await startTask(stack, node, type, params);
    upids.push(upid);
    return waitForStatus(stack, upid, 'stopped', 60_000);
  };
  const detail = async (upid: string) => {
    const { data, response } = await apiClient(stack).GET('/api/v1/tasks/{upid}', { params: { path: { upid } } });
    expect(response.status).toBe(200);
    if (!data) throw new Error(`no body for task ${upid}`);
    return data;
  };
  /** The task's result, in the shape its kind returns. */
  const resultOf = async <T>(upid: string) => (await detail(upid)).result as T;
  const nodeView = async (node: string) => {
    const { data, response } = await apiClient(stack).GET('/api/v1/nodes/{name}', { params: { path: { name: node } } });
    expect(response.status).toBe(200);
    if (!data) throw new Error(`no body for node ${node}`);
    return { ...data, facts: data.facts as NodeFacts };
  };
  /** The plans of a dry run (a 200 with `plans`, not a 202). */
  const plansOf = (data: { plans: { node: string; plan: unknown }[] } | object | undefined) => {
    if (!data || !('plans' in data)) throw new Error(`not a dry run: ${JSON.stringify(data)}`);
    return data.plans.map((p) => ({ node: p.node, plan: p.plan as { notes: string[]; steps: PlanStep[] } }));
  };
  const lines = async (upid: string) => (await taskLog(stack, upid)).map((l) => l.t);
  /** A copy: the simulator's state shares live objects (counters) that later tasks change. */
  const stateOf = (fleet: TestFleet, node: string) => structuredClone(fleet.sim.state(node));
  /** `GET /nodes/{name}` agrees with the node itself: versions, kernel, upgradable packages. */
  const expectTrueView = async (fleet: TestFleet, node: string, when: string) => {
    const view = await nodeView(node);
    const st = fleet.sim.state(node);
    expect(view.facts.pveManagerVersion, when).toBe(st.packages['pve-manager']);
    expect(view.facts.kernel, when).toBe(st.runningKernel);
    expect(
      view.facts.upgradable?.map((u) => u.name),
      when,
    ).toEqual(st.upgradable.map((u: { name: string }) => u.name));
    expect(view.summary?.upgradable, when).toBe(st.upgradable.length);
  };
  const enabledPve = (fleet: TestFleet, node: string) =>
    fleet.sim.state(node).repositories.entries.filter((e: { uri: string; enabled: boolean }) => e.enabled && e.uri.endsWith('/debian/pve'));

  describe('aptupgrade', () => {
    it('if-required: upgrades, reboots once into the new kernel, nothing left, all recorded', async () => {
      const node = a[0];
      const before = stateOf(pve8, node);
      expect(before.runningKernel).toBe('6.8.12-13-pve');
      // The node's guests are no concern of this test: the reboot may stop them (reboot-guests.e2e covers them).
      const task = await run(node, 'aptupgrade', { reboot: 'if-required', rebootTimeoutSeconds: 60, guests: 'ignore' });
      expect(task.exitstatus).toBe('OK');
      // The fleet view is true the moment the task is OK: the task itself refreshed the facts.
      const view = await nodeView(node);
      expect(view.summary).toMatchObject({ pveVersion: '8.4.16', kernel: '6.8.12-18-pve', upgradable: 0, rebootRequired: false });
      await expectTrueView(pve8, node, 'after aptupgrade');

      const after = stateOf(pve8, node);
      expect(after.runningKernel).toBe('6.8.12-18-pve');
      expect(after.installedKernels).toContain('6.8.12-18-pve');
      expect(after.bootId).not.toBe(before.bootId);
      expect(after.counters.reboots).toBe(before.counters.reboots + 1);
      expect(after.upgradable).toEqual([]);
      expect(after.packages['pve-manager']).toBe('8.4.16');

      const result = await resultOf<UpgradeResult>(task.upid);
      expect(result).toMatchObject({
        upToDate: false,
        rebootRequired: true,
        rebooted: true,
        kernelBefore: '6.8.12-13-pve',
        kernelAfter: '6.8.12-18-pve',
        nextBootKernel: '6.8.12-18-pve',
      });
      expect(result.upgradable).toContainEqual({ name: 'pve-manager', from: '8.4.11', to: '8.4.16', arch: 'all', suite: 'stable' });
      expect(result.upgradable).toContainEqual({
        name: 'proxmox-kernel-6.8',
        from: '6.8.12-13',
        to: '6.8.12-18',
        arch: 'all',
        suite: 'stable',
      });
      expect(result.reboots).toEqual([
        expect.objectContaining({ bootIdBefore: before.bootId, bootIdAfter: after.bootId, kernel: '6.8.12-18-pve' }),
      ]);

      const log = await lines(task.upid);
      expect(log).toContain(`# ${DIST_UPGRADE}`);
      expect(log).toContain('# reboot');
      expect(log.some((l) => l.startsWith('node is back after'))).toBe(true);
    });

    it('the same job again: up to date, no dist-upgrade, no reboot', async () => {
      const node = a[0];
      const before = stateOf(pve8, node);
      const aptGets = before.counters.commands['apt-get'] ?? 0;
      const task = await run(node, 'aptupgrade', { reboot: 'if-required', rebootTimeoutSeconds: 60 });
      expect(task.exitstatus).toBe('OK');
      const after = stateOf(pve8, node);
      expect(after.bootId).toBe(before.bootId);
      expect(after.counters.reboots).toBe(before.counters.reboots);
      expect(after.counters.commands['apt-get']).toBe(aptGets + 1); // apt-get update only
      const log = await lines(task.upid);
      expect(log).not.toContain(`# ${DIST_UPGRADE}`);
      expect(log).toContain(`skipped '${DIST_UPGRADE}': only if apt list --upgradable lists packages (otherwise the node is up to date)`);
      expect(log.some((l) => l.startsWith("skipped 'reboot': only if the kernel the next boot runs"))).toBe(true);
      expect((await detail(task.upid)).result).toMatchObject({
        upToDate: true,
        upgradable: [],
        rebooted: false,
        rebootRequired: false,
        summary: 'the node is up to date',
      });
    });

    it('never: upgrades without rebooting; the result and a warning say a reboot is required', async () => {
      const node = a[1];
      const before = stateOf(pve8, node);
      const task = await run(node, 'aptupgrade', { reboot: 'never' });
      expect(task.exitstatus).toBe('WARNINGS: 1');
      const after = stateOf(pve8, node);
      expect(after.packages['pve-manager']).toBe('8.4.16');
      expect(after.runningKernel).toBe(before.runningKernel);
      expect(after.bootId).toBe(before.bootId);
      expect(after.counters.reboots).toBe(before.counters.reboots);
      expect(after.rebootRequired).toBe(true);
      expect((await detail(task.upid)).result).toMatchObject({
        rebootRequired: true,
        rebooted: false,
        kernelAfter: '6.8.12-13-pve',
        nextBootKernel: '6.8.12-18-pve',
      });
      expect(await lines(task.upid)).toContain(
        "WARN: a reboot is required: the next boot runs kernel 6.8.12-18-pve, the node runs 6.8.12-13-pve (reboot policy 'never')",
      );
    });

    it('downloadOnly: fetches, installs nothing, never reboots', async () => {
      const node = a[2];
      const before = stateOf(pve8, node);
      const task = await run(node, 'aptupgrade', { downloadOnly: true, reboot: 'if-required' });
      expect(task.exitstatus).toBe('OK');
      const after = stateOf(pve8, node);
      expect(after.packages).toEqual(before.packages);
      expect(after.upgradable).toEqual(before.upgradable);
      expect(after.counters.reboots).toBe(before.counters.reboots);
      const log = await lines(task.upid);
      expect(log).toContain('# DEBIAN_FRONTEND=noninteractive apt-get -y --download-only dist-upgrade');
      expect(log).toContain('Download complete and in download only mode');
      expect((await detail(task.upid)).result).toMatchObject({ downloadOnly: true, upgradedCount: 0, rebooted: false });
    });

    it('apt lock held: exit 100 task error, nothing upgraded', async () => {
      const node = a[3];
      const before = stateOf(pve8, node);
      pve8.sim.holdAptLock(node);
      try {
        const task = await run(node, 'aptupgrade', { reboot: 'if-required' });
        expect(task.exitstatus).toBe("command 'apt-get update' failed: exit code 100");
        expect(await lines(task.upid)).toContain(
          'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 5198 (unattended-upgr)',
        );
      } finally {
        pve8.sim.releaseAptLock(node);
      }
      const after = stateOf(pve8, node);
      expect(after.packages).toEqual(before.packages);
      expect(after.counters.reboots).toBe(before.counters.reboots);
    });

    it('a reboot that does not happen fails the step, and is not counted', async () => {
      const node = a[3];
      const before = stateOf(pve8, node);
      pve8.sim.setRebootBehaviour(node, 'noop');
      try {
        const task = await run(node, 'aptupgrade', { reboot: 'if-required', rebootTimeoutSeconds: 5, guests: 'ignore' });
        expect(task.exitstatus).toBe(`reboot did not happen: the node still answers with boot id ${before.bootId} after 5 s`);
        expect((await detail(task.upid)).result).toBeNull();
      } finally {
        pve8.sim.setRebootBehaviour(node, 'normal');
      }
      const after = stateOf(pve8, node);
      expect(after.bootId).toBe(before.bootId);
      expect(after.packages['pve-manager']).toBe('8.4.16'); // upgraded (the log shows it), reboot still pending
      expect(after.rebootRequired).toBe(true);
    });

    it('a node that never comes back fails clearly after the timeout', async () => {
      const node = a[4];
      pve8.sim.setRebootBehaviour(node, 'hang');
      try {
        const task = await run(node, 'aptupgrade', { reboot: 'if-required', rebootTimeoutSeconds: 5, guests: 'ignore' });
        expect(task.exitstatus).toMatch(/^node did not come back within 5 s after reboot \(.+\)$/);
        expect(pve8.sim.state(node).power).toBe('down');
      } finally {
        pve8.sim.setRebootBehaviour(node, 'normal');
      }
    });
  });

  describe('aptrepos', () => {
    it('PVE 8: switches between the channels with one enabled each time; a second run writes nothing', async () => {
      const node = pve8sub.names[0];
      for (const channel of ['test', 'enterprise', 'no-subscription'] as const) {
        const task = await run(node, 'aptrepos', { channel });
        expect(task.exitstatus, channel).toBe('OK');
        await expectTrueView(pve8sub, node, `after switching to ${channel}`);
        expect(pve8sub.sim.state(node).repositories.pve).toEqual([channel]);
        expect(enabledPve(pve8sub, node)).toHaveLength(1);
        expect((await resultOf<ReposResult>(task.upid)).changedFiles.length, channel).toBeGreaterThan(0);

        const again = await run(node, 'aptrepos', { channel });
        expect(again.exitstatus).toBe('OK');
        const d = await detail(again.upid);
        expect((d.result as ReposResult).changedFiles).toEqual([]);
        expect((d.plan as { steps: PlanStep[] }).steps.map((s) => s.command.split(' ')[0])).toEqual(['apt-get', 'for']);
        expect(await lines(again.upid)).toContain(
          `the PVE channel ${channel} is already set on bookworm: nothing to write, verifying only`,
        );
      }
      expect(pve8sub.sim.readFile(node, `${D}/pve-enterprise.list`)).toBe(
        '# deb https://enterprise.proxmox.com/debian/pve bookworm pve-enterprise\n',
      );
      expect(pve8sub.sim.readFile(node, `${D}/pvetest.list`)).toBe('# deb http://download.proxmox.com/debian/pve bookworm pvetest\n');
      expect(pve8sub.sim.readFile(node, `${D}/pve-no-subscription.list`)).toBe(
        'deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n',
      );
    });

    it('PVE 9: switches between the channels (and Ceph) in deb822 files', async () => {
      const node = pve9sub.names[0];
      for (const channel of ['test', 'enterprise', 'no-subscription'] as const) {
        const task = await run(node, 'aptrepos', { channel, ceph: { release: 'squid', channel } });
        expect(task.exitstatus, channel).toBe('OK');
        const st = stateOf(pve9sub, node);
        expect(st.repositories.pve).toEqual([channel]);
        expect(st.repositories.ceph).toEqual([channel]);
        expect(enabledPve(pve9sub, node)).toHaveLength(1);
        const again = await run(node, 'aptrepos', { channel, ceph: { release: 'squid', channel } });
        expect((await resultOf<ReposResult>(again.upid)).changedFiles).toEqual([]);
      }
      expect(pve9sub.sim.readFile(node, `${D}/pve-enterprise.sources`)).toBe(
        'Types: deb\nURIs: https://enterprise.proxmox.com/debian/pve\nSuites: trixie\nComponents: pve-enterprise\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\nEnabled: no\n',
      );
      expect(pve9sub.sim.readFile(node, `${D}/proxmox.sources`)).toContain(
        'Components: pve-test\nSigned-By: /usr/share/keyrings/proxmox-archive-keyring.gpg\nEnabled: no\n',
      );
    });

    it('enterprise without a subscription: apt-get update fails, every changed file is restored byte for byte and apt works again', async () => {
      const node = a[5];
      const sources = async () =>
        (await pve8.sim.exec(node, `ls /etc/apt/sources.list.d; for f in /etc/apt/sources.list ${D}/*; do echo "== $f"; cat "$f"; done`))
          .stdout;
      const before = await sources();
      const task = await run(node, 'aptrepos', { channel: 'enterprise' });
      expect(task.exitstatus).toBe(
        `command 'apt-get update' failed: exit code 100: https://enterprise.proxmox.com/debian/pve bookworm: 401 Unauthorized [IP: 51.91.38.34 443] (the enterprise repository needs a valid subscription key on the node); restored ${D}/pve-enterprise.list, ${D}/pve-no-subscription.list`,
      );
      expect(await sources()).toBe(before);
      expect(pve8.sim.state(node).repositories.pve).toEqual(['no-subscription']);
      const update = await pve8.sim.exec(node, 'apt-get update');
      expect(update.code, update.stdout).toBe(0);
      const log = await lines(task.upid);
      expect(log.filter((l) => l.startsWith('# ')).at(-1)).toBe('# apt-get update');
      expect(log.some((l) => l.startsWith('restoring ') && l.includes(`${D}/pve-enterprise.list`))).toBe(true);
      await expectTrueView(pve8, node, 'after the failed switch');

      const back = await run(node, 'aptrepos', { channel: 'no-subscription' });
      expect(back.exitstatus).toBe('OK');
      expect(pve8.sim.state(node).repositories.pve).toEqual(['no-subscription']);
      await expectTrueView(pve8, node, 'after switching back');
    });

    it('major upgrade: the suite switch on PVE 8, then aptupgrade takes the node to PVE 9', async () => {
      const node = a[6];
      const sources = await run(node, 'aptrepos', { channel: 'no-subscription', suite: 'trixie' });
      expect(sources.exitstatus).toBe('OK');
      const st = stateOf(pve8, node);
      expect(
        st.repositories.entries
          .filter((e: { enabled: boolean }) => e.enabled)
          .map((e: { suite: string }) => e.suite)
          .sort(),
      ).toEqual(['trixie', 'trixie', 'trixie-security', 'trixie-updates']);
      expect(pve8.sim.readFile(node, '/etc/apt/sources.list')).toBe(
        'deb http://deb.debian.org/debian trixie main contrib\n\ndeb http://deb.debian.org/debian trixie-updates main contrib\n\n# security updates\ndeb http://security.debian.org/debian-security trixie-security main contrib\n',
      );

      const before = stateOf(pve8, node);
      const upgrade = await run(node, 'aptupgrade', { reboot: 'if-required', rebootTimeoutSeconds: 60, guests: 'ignore' });
      expect(upgrade.exitstatus).toBe('OK');
      const after = stateOf(pve8, node);
      expect(after.pveMajor).toBe(9);
      expect(after.debian).toEqual({ major: 13, codename: 'trixie' });
      expect(after.runningKernel).toMatch(/^6\.17\./);
      expect(after.counters.reboots).toBe(before.counters.reboots + 1);
      expect(after.upgradable).toEqual([]);

      // Now a PVE 9 node with one-line files: the same channel is already set.
      const again = await run(node, 'aptrepos', { channel: 'no-subscription' });
      expect(again.exitstatus).toBe('OK');
      expect((await detail(again.upid)).result).toMatchObject({ changedFiles: [], suite: 'trixie', layout: 'one-line' });
    });
  });

  describe('dry runs and the fleet form', () => {
    it('dry runs show every command, condition and file, and run nothing', async () => {
      const node = a[7];
      expect((await run(node, 'facts')).exitstatus).toBe('OK');
      const execs = pve8.sim.counters(node).execs;

      const api = apiClient(stack);
      const up = await api.POST('/api/v1/nodes/{name}/tasks', {
        params: { path: { name: node } },
        body: { type: 'aptupgrade', params: { reboot: 'if-required' }, dryRun: true },
      });
      expect(up.response.status, JSON.stringify(up.error ?? up.data)).toBe(200);
      const steps = plansOf(up.data)[0].plan.steps;
      expect(steps.map((s) => s.command)).toEqual([
        'apt-get update',
        'LC_ALL=C apt list --upgradable',
        'uname -r',
        DIST_UPGRADE,
        'LC_ALL=C apt list --upgradable',
        'proxmox-boot-tool kernel list',
        'qm list && pct list',
        'reboot',
        'uname -r',
      ]);
      expect(steps[3].onlyIf).toBe('apt list --upgradable lists packages (otherwise the node is up to date)');
      expect(steps[6].verifies).toBe(true);
      expect(steps[6].onlyIf).toContain('differs from the running one');
      expect(steps[7].reboots).toBe(true);
      expect(steps[7].onlyIf).toContain('differs from the running one');

      const repos = await api.POST('/api/v1/nodes/{name}/tasks', {
        params: { path: { name: node } },
        body: { type: 'aptrepos', params: { channel: 'test' }, dryRun: true },
      });
      expect(repos.response.status, JSON.stringify(repos.error ?? repos.data)).toBe(200);
      const plan = plansOf(repos.data)[0].plan;
      expect(plan.steps.flatMap((s) => s.writes ?? [])).toEqual([
        { path: `${D}/pve-no-subscription.list`, content: '# deb http://download.proxmox.com/debian/pve bookworm pve-no-subscription\n' },
        { path: `${D}/pvetest.list`, content: 'deb http://download.proxmox.com/debian/pve bookworm pvetest\n' },
      ]);
      expect(plan.notes).toContain('enabled now: PVE no-subscription; wanted: PVE channel test');
      expect(pve8.sim.counters(node).execs).toBe(execs);
      expect(pve8.sim.state(node).repositories.pve).toEqual(['no-subscription']);
    });

    it('bad params are a 400 naming the field, nothing run', async () => {
      const node = pve9sub.names[0];
      expect((await run(node, 'facts')).exitstatus).toBe('OK'); // plans (and their checks) come from stored facts
      const execs = pve9sub.sim.counters(node).execs;
      for (const [type, params, field] of [
        ['aptupgrade', { reboot: 'always', downloadOnly: true }, 'params.reboot'],
        ['aptupgrade', { rebootTimeoutSeconds: '600; reboot' }, 'params.rebootTimeoutSeconds'],
        ['aptrepos', { channel: 'test$(reboot)' }, 'params.channel'],
        ['aptrepos', { channel: 'test', ceph: { release: 'squid\nreboot', channel: 'test' } }, 'params.ceph.release'],
        ['aptrepos', { channel: 'test', suite: 'bookworm' }, 'params.suite'],
      ] as const) {
        const res = await stack.http.post(`/nodes/${node}/tasks`, { type, params });
        expect(res.status, `${type} ${JSON.stringify(params)}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(errorBody.parse(res.body).errors?.map((e) => e.field)).toContain(field);
      }
      expect(pve9sub.sim.counters(node).execs).toBe(execs);
    });

    it('no task log shows internal markers (facts sections, check scripts)', async () => {
      const node = pve8sub.names[0];
      const facts = await run(node, 'facts');
      expect(facts.exitstatus).toBe('OK');
      const factsLog = await lines(facts.upid);
      expect(factsLog.some((l) => l.startsWith('# read node facts (read-only script):'))).toBe(true);
      expect(factsLog.some((l) => l.startsWith('saved node facts: '))).toBe(true);
      await run(node, 'clustercheck');
      for (const upid of upids)
        expect(
          (await lines(upid)).filter((l) => l.includes('@@pvefleet')),
          upid,
        ).toEqual([]);
    });

    it('the fleet form: aptupgrade on three nodes, each rebooted once into its new kernel', async () => {
      const nodes = [a[7], a[8], a[9]];
      const before = nodes.map((n) => stateOf(pve8, n));
      const api = apiClient(stack);
      const dry = await api.POST('/api/v1/tasks', {
        body: { selector: { nodes }, type: 'aptupgrade', params: { reboot: 'if-required' }, dryRun: true },
      });
      expect(dry.response.status).toBe(200);
      expect(
        plansOf(dry.data)
          .map((p) => p.node)
          .sort(),
      ).toEqual([...nodes].sort());

      const res = await api.POST('/api/v1/tasks', {
        body: { selector: { nodes }, type: 'aptupgrade', params: { reboot: 'if-required', rebootTimeoutSeconds: 60, guests: 'ignore' } },
      });
      expect(res.response.status, JSON.stringify(res.error ?? res.data)).toBe(202);
      if (!res.data || !('tasks' in res.data)) throw new Error(`no tasks in ${JSON.stringify(res.data)}`);
      const done = await Promise.all(res.data.tasks.map((t) => waitForStatus(stack, t.upid, 'stopped', 60_000)));
      expect(done.map((t) => t.exitstatus)).toEqual(['OK', 'OK', 'OK']);
      nodes.forEach((n, i) => {
        const st = pve8.sim.state(n);
        expect(st.runningKernel).toBe('6.8.12-18-pve');
        expect(st.bootId).not.toBe(before[i].bootId);
        expect(st.counters.reboots).toBe(before[i].counters.reboots + 1);
      });
    });
  });
});
