import type { JobKind } from './job-kind';
import { aptUpdateJob } from './kinds/aptupdate/aptupdate.job';
import { factsJob } from './kinds/facts/facts.job';

/** Every job kind pvefleet can run. A type listed twice stops the process at start. */
export const JOB_KINDS: readonly JobKind<any>[] = [factsJob, aptUpdateJob];

export class JobRegistry {
  private readonly byType = new Map<string, JobKind<any>>();

  constructor(kinds: readonly JobKind<any>[] = JOB_KINDS) {
    for (const kind of kinds) {
      if (this.byType.has(kind.type)) throw new Error(`job kind '${kind.type}' is registered twice`);
      this.byType.set(kind.type, kind);
    }
  }

  get(type: string): JobKind<any> | undefined {
    return this.byType.get(type);
  }

  get types(): string[] {
    return [...this.byType.keys()];
  }

  list(): JobKind<any>[] {
    return [...this.byType.values()];
  }
}
