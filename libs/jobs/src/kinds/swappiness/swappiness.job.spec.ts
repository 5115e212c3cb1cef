import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@pvefleet/simulator';
import type { SwappinessFacts } from '../../node-facts';
import { specErrorOf } from '../../spec-error.spec-helper';
import { pveNodeFacts } from '../../testing/node-facts.fixture';
import { runPlan } from '../clustercheck/run-plan.spec-helper';
import { factsScript, splitSections } from '../facts/facts-script';
import { parseFacts } from '../facts/parse-facts';
import { swappinessJob } from './swappiness.job';

const FILE = '/etc/sysctl.d/90-pvefleet-swappiness.conf';
const GREP_FILE = `grep -E '^[[:space:]]*-?vm[./]swappiness[[:space:]]*=' ${FILE}`;
const facts = (swappiness: SwappinessFacts | null) => pveNodeFacts(8, { swappiness });
const spec = (swappiness: unknown) => swappinessJob.spec.parse({ swappiness });

describe('swappiness plan', () => {
  it('writes its sysctl.d file, applies it with sysctl -p and reads back live and file', () => {
    const plan = swappinessJob.plan(spec(10), facts({ live: 60, settings: [] }));
    expect(plan.steps.map((s) => s.command)).toEqual([
      `cat > ${FILE} <<'PVEFLEET_EOF'\n# Managed by pvefleet (swappiness task): changes here are overwritten.\nvm.swappiness = 10\nPVEFLEET_EOF`,
      `sysctl -p ${FILE}`,
      'sysctl -n vm.swappiness',
      GREP_FILE,
    ]);
    expect(plan.notes).toEqual(['vm.swappiness is 60 now: applying 10']);
  });

  it('already right: reads back only; file right but live changed by hand: applies the file again', () => {
    const set = [{ path: FILE, value: 10 }];
    expect(swappinessJob.plan(spec(10), facts({ live: 10, settings: set })).steps.map((s) => s.command)).toEqual([
      'sysctl -n vm.swappiness',
      GREP_FILE,
    ]);
    expect(swappinessJob.plan(spec(10), facts({ live: 30, settings: set })).steps.map((s) => s.command)).toEqual([
      `sysctl -p ${FILE}`,
      'sysctl -n vm.swappiness',
      GREP_FILE,
    ]);
  });

  it('refuses when a file applied after its own at boot sets another value, naming it', () => {
    const err = specErrorOf(() =>
      swappinessJob.plan(spec(10), facts({ live: 60, settings: [{ path: '/etc/sysctl.d/99-sysctl.conf', value: 60 }] })),
    );
    expect(err.errors).toEqual([
      {
        field: 'params.swappiness',
        message: `/etc/sysctl.d/99-sysctl.conf sets vm.swappiness = 60, applied after ${FILE} at boot: remove that line first (pvefleet changes only its own file)`,
      },
    ]);
    // Earlier files, or a later one with the same value, are fine.
    expect(() =>
      swappinessJob.plan(
        spec(10),
        facts({
          live: 60,
          settings: [
            { path: '/etc/sysctl.d/10-a.conf', value: 1 },
            { path: '/etc/sysctl.d/99-z.conf', value: 10 },
          ],
        }),
      ),
    ).not.toThrow();
    expect(specErrorOf(() => swappinessJob.plan(spec(10), facts(null))).errors[0].message).toMatch(/could not be read/);
    // Stored facts from before pvefleet read swappiness: the task reads fresh ones and plans then.
    expect(swappinessJob.plan(spec(10), pveNodeFacts())).toEqual({
      notes: ['the stored facts predate pvefleet reading vm.swappiness: the task reads them first and plans from them'],
      steps: [],
    });
  });

  it('validates the value: an integer 0-100', () => {
    for (const bad of [101, -1, 10.5, '10']) expect(swappinessJob.spec.safeParse({ swappiness: bad }).success).toBe(false);
    expect(swappinessJob.spec.safeParse({ swappiness: 101 }).error?.issues[0]).toMatchObject({
      path: ['swappiness'],
      message: 'must be 0-100',
    });
    expect(swappinessJob.spec.parse({ swappiness: 0 })).toEqual({ swappiness: 0 });
  });
});

describe('swappiness against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ controlPort: false, seed: 5, clusters: [{ name: 'lab', nodes: 1, namePrefix: 'pve', pveMajor: 8 }] });
  });
  afterAll(() => sim.stop());

  const nodeFacts = async () => parseFacts(splitSections((await sim.exec('pve1', factsScript())).stdout), Date.now());

  it('sets the value live and at boot; the facts then show it; a second run only reads back', async () => {
    const run = await runPlan(swappinessJob.plan(spec(10), await nodeFacts()), (c) => sim.exec('pve1', c));
    expect(run.error).toBeUndefined();
    expect(sim.readFile('pve1', FILE)).toBe('# Managed by pvefleet (swappiness task): changes here are overwritten.\nvm.swappiness = 10\n');
    const after = await nodeFacts();
    expect(after.swappiness).toEqual({ live: 10, settings: [{ path: FILE, value: 10 }] });
    const again = await runPlan(swappinessJob.plan(spec(10), after), (c) => sim.exec('pve1', c));
    expect(again.ran).toEqual(['sysctl -n vm.swappiness', GREP_FILE]);
    // `sysctl --system` (what a boot does) keeps it.
    await sim.exec('pve1', 'sysctl -w vm.swappiness=60 && sysctl --system');
    expect((await sim.exec('pve1', 'sysctl -n vm.swappiness')).stdout).toBe('10\n');
  });

  it('verifyAfterLoss tells a value that did not stick', async () => {
    await sim.exec('pve1', 'sysctl -w vm.swappiness=30');
    const run = await runPlan({ steps: swappinessJob.verifyAfterLoss?.(spec(10)) ?? [] }, (c) => sim.exec('pve1', c));
    expect(run.error).toBe('vm.swappiness is 30, expected 10');
  });
});
