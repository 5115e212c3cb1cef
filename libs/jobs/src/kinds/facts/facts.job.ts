import { z } from 'zod';
import type { JobKind } from '../../job-kind';
import { parseFacts } from './parse-facts';

export const factsSpec = z.strictObject({});

/** Reads what later plans decide on; changes nothing on the node. */
export const factsJob: JobKind<z.infer<typeof factsSpec>> = {
  type: 'facts',
  mutating: false,
  description: 'Read node facts (hostname, kernel, PVE version, OS release, uptime)',
  spec: factsSpec,
  plan: () => ({
    steps: [
      { command: 'hostname', capture: 'hostname' },
      { command: 'uname -r', capture: 'kernel' },
      { command: 'cat /etc/os-release', capture: 'osRelease', quiet: true },
      { command: 'cat /proc/uptime', capture: 'uptime' },
      // Absent on plain Debian hosts; that is a fact, not a failure.
      { command: 'command -v pveversion >/dev/null 2>&1 && pveversion || true', capture: 'pveversion' },
    ],
  }),
  finish: (_spec, out) => {
    const facts = parseFacts({
      hostname: out.hostname?.stdout ?? '',
      kernel: out.kernel?.stdout ?? '',
      osRelease: out.osRelease?.stdout ?? '',
      uptime: out.uptime?.stdout ?? '',
      pveversion: out.pveversion?.stdout ?? '',
    });
    return { facts, result: { facts } };
  },
};
