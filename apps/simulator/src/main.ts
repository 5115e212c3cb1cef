import { HELP, parseCliArgs } from './cli/args';
import { stderrLogLine } from './cli/log-lines';
import { startSimulator } from './simulator';

/**
 * CLI entry: starts the simulator, prints one JSON line with the inventory
 * (for a parent process to parse), and shuts down cleanly on SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  let options;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  // stdout carries only the inventory line; what happens later (listeners, faults, reboots) goes to stderr.
  const sim = await startSimulator({ ...options, log: stderrLogLine() });
  const inventory = {
    event: 'ready',
    controlUrl: sim.controlUrl ?? null,
    user: sim.options.auth.user,
    nodes: sim.nodes().map(({ name, cluster, host, port, hostKeyFingerprint }) => ({ name, cluster, host, port, hostKeyFingerprint })),
  };
  process.stdout.write(JSON.stringify(inventory) + '\n');
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    sim.options.log(`${signal}, shutting down`);
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
