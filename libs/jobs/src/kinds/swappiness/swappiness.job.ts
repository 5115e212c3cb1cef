import type { JobKindOf, Plan, PlanStep } from '../../job-kind';
import type { NodeFacts, SwappinessFacts } from '../../node-facts';
import { SpecError } from '../../spec-error';
import { predatingFactsPlan } from '../facts/predating-facts';
import { writeFileStep } from '../ntp/write-file';
import { fileReadBack, liveReadBack } from './swappiness-read-back';
import { laterSettings, SWAPPINESS_FILE, swappinessFile } from './swappiness-file';
import { swappinessSpec, type SwappinessSpec } from './swappiness-spec';

function swappinessOf(facts: NodeFacts | null): SwappinessFacts {
  const s = facts?.swappiness;
  if (!s) throw new SpecError([{ field: 'params', message: 'vm.swappiness could not be read on the node (sysctl gave nothing)' }]);
  return s;
}

/**
 * The seed's advice for ZFS hosts ("SWAP on ZFS"): `vm.swappiness` in a sysctl.d file of pvefleet's
 * own, applied now with `sysctl -p FILE`, then read back live and from the file.
 */
export function planSwappiness(spec: SwappinessSpec, facts: NodeFacts | null): Plan {
  if (facts !== null && facts.swappiness === undefined) return predatingFactsPlan('vm.swappiness');
  const value = spec.swappiness;
  const current = swappinessOf(facts);
  const overriding = laterSettings(current).filter((s) => s.value !== value);
  if (overriding.length) {
    throw new SpecError([
      {
        field: 'params.swappiness',
        message: `${overriding.map((s) => `${s.path} sets vm.swappiness = ${s.value}`).join(', ')}, applied after ${SWAPPINESS_FILE} at boot: remove that line first (pvefleet changes only its own file)`,
      },
    ]);
  }
  const ours = current.settings.filter((s) => s.path === SWAPPINESS_FILE).map((s) => s.value);
  const fileRight = ours.length === 1 && ours[0] === value;
  const notes: string[] = [];
  const steps: PlanStep[] = [];
  if (fileRight) notes.push(`${SWAPPINESS_FILE} already sets vm.swappiness = ${value}`);
  else steps.push(writeFileStep(SWAPPINESS_FILE, swappinessFile(value), `write vm.swappiness = ${value} to ${SWAPPINESS_FILE}`));
  if (!fileRight || current.live !== value) {
    notes.push(`vm.swappiness is ${current.live} now: applying ${value}`);
    steps.push({ command: `sysctl -p ${SWAPPINESS_FILE}`, description: 'apply the file now' });
  } else notes.push(`vm.swappiness is already ${value}: reading it back only`);
  steps.push(liveReadBack(value), fileReadBack(value));
  return { notes, steps };
}

export const swappinessJob: JobKindOf<'swappiness', typeof swappinessSpec> = {
  type: 'swappiness',
  mutating: true,
  readBack: { by: 'plan', describe: "sysctl -n vm.swappiness and pvefleet's sysctl.d file are read back" },
  usesFacts: true,
  description: 'Set vm.swappiness (a sysctl.d file of its own, applied now with sysctl -p)',
  spec: swappinessSpec,
  plan: planSwappiness,
  verifyAfterLoss: (spec) => [liveReadBack(spec.swappiness), fileReadBack(spec.swappiness)],
  finish: (spec, _outputs, ctx) => ({
    result: { swappiness: spec.swappiness, file: SWAPPINESS_FILE, before: ctx.facts?.swappiness?.live ?? null },
  }),
};
