import { startSimulator, Simulator } from '../simulator';
import type { SimulatorOptions } from '../options';

/** A fast, deterministic simulator for unit tests: no HTTP, tiny delays. */
export function startTestSim(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({
    seed: 42,
    controlPort: false,
    rebootDelayMs: 40,
    shutdownDelayMs: 5,
    haDelayMs: 10,
    migrationDelayMs: 2,
    waitsyncIntervalMs: 5,
    clusters: [{ name: 'lab', nodes: 3, namePrefix: 'pve' }],
    ...options,
  });
}

/** Polls until `check` returns true, failing after `timeoutMs` (tests never sleep blindly). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition not met in time');
}
