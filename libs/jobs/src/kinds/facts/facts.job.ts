import { z } from 'zod';
import type { JobKindOf } from '../../job-kind';
import { FACTS_SCRIPT_LOG, factsScript, splitSections } from './facts-script';
import { parseFacts } from './parse-facts';

export const factsSpec = z.strictObject({});

/** Reads everything later plans decide on, in one read-only script; changes nothing on the node. */
export const factsJob: JobKindOf<'facts', typeof factsSpec> = {
  type: 'facts',
  mutating: false,
  description: 'Read node facts: versions, kernels, upgrades, repositories, time sync, certificate, disks, pools, cluster, HA',
  spec: factsSpec,
  plan: () => ({
    // Quiet and logged by name: the runner logs a summary of what it saved instead of the raw sections.
    steps: [{ command: factsScript(), logAs: FACTS_SCRIPT_LOG, description: 'read node facts', capture: 'facts', quiet: true }],
  }),
  finish: (_spec, out, ctx) => {
    const facts = parseFacts(splitSections(out.facts?.stdout ?? ''), ctx.now);
    return { facts, result: { facts } };
  },
};
