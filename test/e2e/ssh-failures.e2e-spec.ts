import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/services.mjs';
import { apiClient } from '../support/api-client';
import { Stack } from '../support/stack';
import { TestSshd } from '../support/sshd';
import { registerNode, startTask, taskLog, waitForStatus } from '../support/tasks';

describe('SSH failures end tasks with clear errors', () => {
  let stack: Stack;
  let sshd: TestSshd;

  beforeAll(async () => {
    [stack, sshd] = await Promise.all([Stack.start(), TestSshd.start()]);
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), sshd?.stop()]);
  });

  it('a wrong password fails the task with an authentication error', async () => {
    const node = await registerNode(stack, sshd, { credential: { type: 'password', password: 'definitely-wrong' } });
    const task = await waitForStatus(stack, await startTask(stack, node, 'facts'));
    expect(task.exitstatus).toMatch(/^authentication failed for \S+@127\.0\.0\.1:\d+: the server refused the password or key/);
    const log = await taskLog(stack, task.upid);
    expect(log.at(-1)?.t).toBe(`TASK ERROR: ${task.exitstatus}`);
  });

  it('a changed host key stops the task before anything runs', async () => {
    const pinOf = async (name: string) => {
      const { data } = await apiClient(stack).GET('/api/v1/nodes/{name}', { params: { path: { name } } });
      if (!data) throw new Error(`no node ${name}`);
      return data.hostKeyFingerprint;
    };
    const node = await registerNode(stack, sshd);
    await waitForStatus(stack, await startTask(stack, node, 'facts'));
    const pinned = await pinOf(node);
    expect(pinned).toBe(sshd.fingerprint);

    await sshd.rotateHostKey();
    const callsBefore = sshd.aptCalls().length;
    const task = await waitForStatus(stack, await startTask(stack, node, 'aptupdate'));
    expect(task.exitstatus).toBe(
      `host key mismatch for ${sshd.user}@127.0.0.1:${sshd.port}: expected ${pinned}, got ${sshd.fingerprint} - refusing to connect`,
    );
    expect(sshd.aptCalls().length).toBe(callsBefore);
    const log = await taskLog(stack, task.upid);
    expect(log.some((l) => l.t.startsWith('# '))).toBe(false);
    // The pin is not silently replaced.
    expect(await pinOf(node)).toBe(pinned);

    // An admin who knows the node was reinstalled clears the pin; the next contact records the new key.
    await stack.http.patch(`/nodes/${node}`, { hostKeyFingerprint: null }).expect(200);
    const retry = await waitForStatus(stack, await startTask(stack, node, 'aptupdate'));
    expect(retry.exitstatus).toBe('OK');
    expect(await pinOf(node)).toBe(sshd.fingerprint);
  });

  it('a node whose SSH port is closed fails with connection refused', async () => {
    const node = await registerNode(stack, sshd, { port: await freePort() });
    const task = await waitForStatus(stack, await startTask(stack, node, 'facts'));
    expect(task.exitstatus).toMatch(/^cannot connect to \S+@127\.0\.0\.1:\d+: connection refused$/);
  });

  it("a failing command ends with Proxmox's wording", async () => {
    sshd.setApt({ exitCode: 100 });
    const node = await registerNode(stack, sshd);
    const task = await waitForStatus(stack, await startTask(stack, node, 'aptupdate'));
    sshd.setApt({});
    expect(task.exitstatus).toBe("command 'apt-get update' failed: exit code 100");
    const log = (await taskLog(stack, task.upid)).map((l) => l.t);
    expect(log).toContain('E: Some index files failed to download.');
    expect(log.at(-1)).toBe("TASK ERROR: command 'apt-get update' failed: exit code 100");
  });
});
