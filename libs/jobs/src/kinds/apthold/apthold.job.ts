import type { JobKindOf, PlanStep } from '../../job-kind';
import { parseHeldPackages } from '../facts/parse/held-packages';
import { SECTION_END } from '../facts/facts-script';
import { shellQuote } from '../../shell-quote';
import { aptHoldSpec, type AptHoldSpec } from './apthold-spec';

/** Why `apt-mark showhold` does not show the spec done: a package still free or still held. */
export function holdProblem(spec: AptHoldSpec, held: readonly string[]): string | undefined {
  const free = spec.hold.filter((p) => !held.includes(p));
  const still = spec.unhold.filter((p) => held.includes(p));
  const problems = [...(free.length ? [`not held: ${free.join(', ')}`] : []), ...(still.length ? [`still held: ${still.join(', ')}`] : [])];
  return problems.length ? problems.join('; ') : undefined;
}

function showholdReadBack(spec: AptHoldSpec): PlanStep {
  return {
    command: `apt-mark showhold && echo '${SECTION_END}'`,
    description: 'read the held packages back',
    capture: 'showhold',
    verify: (out) => {
      const held = parseHeldPackages(out.stdout);
      return held === null ? 'apt-mark showhold gave no answer' : holdProblem(spec, held);
    },
  };
}

const quoted = (names: string[]): string => names.map(shellQuote).join(' ');

/** `apt-mark hold` keeps packages back from upgrades (the rollout sees them as kept back); `unhold` lets them go. */
export const aptHoldJob: JobKindOf<'apthold', typeof aptHoldSpec> = {
  type: 'apthold',
  mutating: true,
  readBack: { by: 'plan', describe: 'apt-mark showhold is read back: every package held, every released one gone' },
  description: 'Hold or release packages (apt-mark hold / unhold), read back with apt-mark showhold',
  spec: aptHoldSpec,
  plan: (spec) => ({
    steps: [
      ...(spec.hold.length ? [{ command: `apt-mark hold ${quoted(spec.hold)}`, description: 'hold packages' }] : []),
      ...(spec.unhold.length ? [{ command: `apt-mark unhold ${quoted(spec.unhold)}`, description: 'release packages' }] : []),
      showholdReadBack(spec),
    ],
  }),
  verifyAfterLoss: (spec) => [showholdReadBack(spec)],
  finish: (spec, outputs) => ({
    result: { hold: spec.hold, unhold: spec.unhold, held: parseHeldPackages(outputs.showhold?.stdout ?? '') },
  }),
};
