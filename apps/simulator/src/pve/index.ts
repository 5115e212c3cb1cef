import type { NodeProgram } from '../model/node';
import { aptPrograms } from './apt';
import { bootPrograms } from './boot';
import { identityPrograms } from './identity';
import { systemctlPrograms } from './systemctl';
import { timePrograms } from './time';

/** Every node-aware program, by name (coreutils are looked up after these). */
export const pvePrograms: ReadonlyMap<string, NodeProgram> = new Map(
  Object.entries({ ...identityPrograms, ...aptPrograms, ...bootPrograms, ...systemctlPrograms, ...timePrograms }),
);
