import { Interpreter } from '../shell/interpreter';
import { BufferSink, stringStdin } from '../shell/io';
import type { SimNode } from './node';

/** A `systemd-run --on-active` timer: its unit, the command its service runs, and when. */
export interface TransientTimer {
  unit: string;
  argv: string[];
  firesAt: number;
  handle: NodeJS.Timeout;
}

const quote = (a: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/**
 * Arms a transient timer: after `seconds` (× the simulator's transientTimerScale) the command runs on
 * the node as root, the way systemd would start `NAME.service`. A reboot loses it, as transient units are.
 */
export function armTransientTimer(node: SimNode, unit: string, seconds: number, argv: string[]): TransientTimer {
  const delay = seconds * 1000 * node.sim.options.transientTimerScale;
  const lifecycle = node.lifecycle.signal;
  const handle = node.sim.scheduler.after(delay, () => {
    node.transientTimers.delete(unit);
    if (lifecycle.aborted) return;
    void runService(node, unit, argv, lifecycle);
  });
  const timer = { unit, argv, firesAt: node.sim.now() + delay, handle };
  node.transientTimers.set(unit, timer);
  lifecycle.addEventListener('abort', () => cancelTransientTimer(node, unit), { once: true });
  return timer;
}

/** `systemctl stop NAME.timer`: true if such a timer was armed. */
export function cancelTransientTimer(node: SimNode, unit: string): boolean {
  const timer = node.transientTimers.get(unit);
  if (!timer) return false;
  node.sim.scheduler.cancel(timer.handle);
  node.transientTimers.delete(unit);
  return true;
}

async function runService(node: SimNode, unit: string, argv: string[], signal: AbortSignal): Promise<void> {
  const service = unit.replace(/\.timer$/, '.service');
  const stdout = new BufferSink();
  const stderr = new BufferSink();
  const shell = new Interpreter(node, signal, {
    env: new Map([
      ['HOME', '/root'],
      ['USER', 'root'],
      ['PATH', '/usr/sbin:/usr/bin:/sbin:/bin'],
    ]),
    cwd: '/',
  });
  node.log(service, 'systemd', `Started ${service} - /usr/bin/${argv.map(quote).join(' ')}.`, 1);
  try {
    const code = await shell.run(argv.map(quote).join(' '), { stdin: stringStdin(''), stdout, stderr });
    for (const line of `${stdout.data}${stderr.data}`.split('\n').filter(Boolean)) node.log(service, argv[0] ?? service, line);
    node.log(
      service,
      'systemd',
      code === 0 ? `${service}: Deactivated successfully.` : `${service}: Main process exited, status=${code}/FAILURE`,
      1,
    );
    node.sim.options.log(`${node.name}: transient ${service} ran (${argv.join(' ')}), exit ${code}`);
  } catch (err) {
    node.log(service, 'systemd', `${service}: Failed with result 'exit-code': ${(err as Error).message}`, 1);
    node.sim.options.log(`${node.name}: transient ${service} failed: ${(err as Error).message}`);
  }
}
