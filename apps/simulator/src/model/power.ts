import type { SimNode } from './node';
import { logChronyStart } from './chrony';
import { startGuestsOnBoot, stopGuestsForNodeDown } from './guests';

/**
 * Power and boot: a node that goes down leaves the cluster membership, drops
 * every connection and stops its background jobs; a boot picks the kernel,
 * gets a new boot id and brings the services back.
 */
export function goDown(node: SimNode, reason: 'offline' | 'rebooting' | 'hung'): void {
  node.downReason = reason;
  if (node.power === 'down') return;
  node.power = 'down';
  node.sim.options.log(`${node.name}: down (${reason})`);
  stopGuestsForNodeDown(node.cluster.guestsOn(node.name));
  node.lifecycle.abort({ kind: 'node-down' });
  node.locks.dropAll();
  node.transport?.down();
  node.cluster.membershipChanged();
}

const bootTimers = new WeakMap<SimNode, NodeJS.Timeout>();

export async function boot(node: SimNode): Promise<void> {
  node.sim.scheduler.cancel(bootTimers.get(node));
  bootTimers.delete(node);
  node.runningKernel = node.nextBootKernel();
  if (node.fs.exists('/etc/kernel/next-boot-pin')) node.fs.remove('/etc/kernel/next-boot-pin', false);
  node.bootId = node.rng.uuid();
  node.bootTime = node.sim.now();
  node.unitOverrides = undefined;
  node.chronySources = undefined;
  node.lifecycle = new AbortController();
  node.power = 'online';
  node.downReason = undefined;
  startGuestsOnBoot(node.cluster.guestsOn(node.name));
  node.log('systemd', 'systemd', `Startup finished, running kernel ${node.runningKernel}.`, 1);
  node.sim.options.log(`${node.name}: booted kernel ${node.runningKernel}, boot id ${node.bootId}`);
  logChronyStart(node);
  node.cluster.membershipChanged();
  await node.transport?.up();
}

/** Boots after `delayMs`, unless the node is hung by a fault (then only clearing the fault boots it). */
export function scheduleBoot(node: SimNode, delayMs: number): void {
  node.sim.scheduler.cancel(bootTimers.get(node));
  bootTimers.set(
    node,
    node.sim.scheduler.after(delayMs, () => {
      bootTimers.delete(node);
      if (node.faults.reboot === 'hang') return;
      void boot(node);
    }),
  );
}

/** What `reboot` does, per the node's reboot fault. Returns the exit status for the command. */
export function requestReboot(node: SimNode): { status: number; stderr?: string } {
  const mode = node.faults.reboot;
  if (mode === 'noop') return { status: 0 };
  if (mode === 'refuse') {
    return {
      status: 1,
      stderr: `W: molly-guard: SSH session detected!\nPlease type in hostname of the machine to reboot: Good thing I asked; I won't reboot ${node.name} ...\n`,
    };
  }
  node.counters.reboots++;
  node.sim.options.log(`${node.name}: reboot requested${mode === 'hang' ? ' (fault: it will hang)' : ''}`);
  node.sim.scheduler.after(node.sim.options.shutdownDelayMs, () => {
    goDown(node, mode === 'hang' ? 'hung' : 'rebooting');
    if (mode !== 'hang') scheduleBoot(node, node.sim.options.rebootDelayMs);
  });
  return { status: 0 };
}
