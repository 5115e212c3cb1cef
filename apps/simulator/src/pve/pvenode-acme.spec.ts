import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';

const CONFIG = '/etc/pve/nodes/pve1/config';

describe('pvenode acme plugin and the acmedomainN config', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('plugin list: standalone always; add dns stores the data file base64url-encoded; JSON as the API gives it', async () => {
    sim = await startTestSim();
    const first = JSON.parse((await sim.exec('pve1', 'pvenode acme plugin list --output-format json')).stdout) as Record<string, unknown>[];
    expect(first.map((p) => [p.plugin, p.type])).toEqual([['standalone', 'standalone']]);
    await sim.exec('pve1', "printf 'CF_Token=abc\\nCF_Account_ID=42\\n' > /root/cf.env");
    expect(await sim.exec('pve1', 'pvenode acme plugin add dns mydns --api cf --data /root/cf.env --validation-delay 5')).toMatchObject({
      code: 0,
      stderr: '',
    });
    const list = JSON.parse((await sim.exec('pve1', 'pvenode acme plugin list --output-format json')).stdout) as Record<string, unknown>[];
    expect(list[0]).toEqual({
      api: 'cf',
      data: Buffer.from('CF_Token=abc\nCF_Account_ID=42\n').toString('base64url'),
      digest: expect.stringMatching(/^[0-9a-f]{40}$/) as unknown,
      plugin: 'mydns',
      type: 'dns',
      'validation-delay': 5,
    });
    expect((await sim.exec('pve1', 'pvenode acme plugin list')).stdout).toMatch(
      /^┌─+┬.*\n│ api +│ data +│ digest +│ plugin +│ type +│ validation-delay │\n╞/,
    );
    expect(await sim.exec('pve1', 'pvenode acme plugin add dns mydns --api cf')).toMatchObject({
      code: 255,
      stderr: "ACME plugin ID 'mydns' already exists\n",
    });
    expect((await sim.exec('pve1', "pvenode acme plugin add dns 'bad id' --api cf")).stderr).toMatch(
      /^400 Parameter verification failed\.\nid: /,
    );
    expect(await sim.exec('pve1', 'pvenode acme plugin config nosuch')).toMatchObject({
      code: 255,
      stderr: "ACME plugin 'nosuch' not defined\n",
    });
  });

  it('config set: acmedomainN with a plugin, deletes after sets, and PVE’s checks over the result', async () => {
    sim = await startTestSim();
    // A plugin the node does not have: refused by verify_conf, the config untouched.
    const before = sim.readFile('pve1', CONFIG);
    expect(await sim.exec('pve1', 'pvenode config set --acme account=default --acmedomain0 pve1.pvefleet.test,plugin=mydns')).toMatchObject(
      {
        code: 255,
        stderr: "plugin 'mydns' for domain 'pve1.pvefleet.test' not found!\n",
      },
    );
    // The same domain in both forms.
    expect((await sim.exec('pve1', 'pvenode config set --acmedomain0 pve1.pvefleet.test')).stderr).toBe(
      "duplicate domain 'pve1.pvefleet.test' in ACME config properties 'acmedomain0' and 'acme'\n",
    );
    expect(sim.readFile('pve1', CONFIG)).toBe(before);
    await sim.exec('pve1', 'pvenode acme plugin add dns mydns --api cf');
    const set =
      'pvenode config set --acme account=default --acmedomain0 pve1.pvefleet.test,plugin=mydns --acmedomain1 b.pvefleet.test,plugin=mydns';
    expect((await sim.exec('pve1', set)).code).toBe(0);
    expect((await sim.exec('pve1', 'pvenode config get')).stdout).toBe(
      'acme: account=default\nacmedomain0: pve1.pvefleet.test,plugin=mydns\nacmedomain1: b.pvefleet.test,plugin=mydns\n',
    );
    expect(
      (await sim.exec('pve1', "pvenode config set --acme 'account=default,domains=pve1.pvefleet.test' --delete acmedomain0,acmedomain1"))
        .code,
    ).toBe(0);
    expect(sim.readFile('pve1', CONFIG)).toBe('acme: account=default,domains=pve1.pvefleet.test\n');
    expect((await sim.exec('pve1', "pvenode config set --acmedomain0 'x.pvefleet.test,plugin=$(id)'")).stderr).toMatch(
      /^400 Parameter verification failed\.\nacmedomain0: invalid format - format error\nacmedomain0\.plugin: invalid configuration ID/,
    );
  });

  it('an order through a DNS plugin logs the TXT record; a plugin removed since fails like PVE before the task', async () => {
    sim = await startTestSim();
    await sim.exec('pve1', 'pvenode acme plugin add dns mydns --api cf --validation-delay 1');
    await sim.exec('pve1', 'pvenode config set --acme account=default --acmedomain0 pve1.pvefleet.test,plugin=mydns');
    const order = await sim.exec('pve1', 'pvenode acme cert order --force 1');
    expect(order.code).toBe(0);
    expect(order.stdout).toContain(
      "The validation for pve1.pvefleet.test is pending!\nAdd TXT record: _acme-challenge.pve1.pvefleet.test\nSleeping 1 seconds to wait for TXT record propagation\nTriggering validation\nSleeping for 5 seconds\nStatus is 'valid', domain 'pve1.pvefleet.test' OK!\nRemove TXT record: _acme-challenge.pve1.pvefleet.test\n",
    );
    expect(order.stdout).not.toContain('Setting up webserver');
    await sim.exec('pve1', 'pvenode acme plugin remove mydns');
    expect(await sim.exec('pve1', 'pvenode acme cert order --force 1')).toMatchObject({
      code: 255,
      stdout: '',
      stderr: "plugin 'mydns' for domain 'pve1.pvefleet.test' not found!\n",
    });
  });
});
