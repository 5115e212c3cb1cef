import { JOB_KINDS } from './job-catalog';
import type { JobKind } from './job-kind';
import { TASK_TYPES, isTaskType, type TaskType } from './task-type';

/**
 * The job kinds this process runs, checked once at construction: it refuses to start when a task type
 * has no kind or two, when a kind names a type that is not a task type, or when a mutating kind does not
 * say how its effect is read back (`readBack`).
 */
export class JobRegistry {
  private readonly byType: ReadonlyMap<TaskType, JobKind>;

  constructor(kinds: readonly JobKind[] = JOB_KINDS) {
    this.byType = checkedKinds(kinds);
  }

  /** The kind of a known task type (the constructor saw to it that there is one). */
  get(type: TaskType): JobKind;
  /** A type read from outside (a row, a request): undefined when this version has no such kind. */
  get(type: string): JobKind | undefined;
  get(type: string): JobKind | undefined {
    return isTaskType(type) ? this.byType.get(type) : undefined;
  }

  get types(): TaskType[] {
    return [...this.byType.keys()];
  }

  list(): JobKind[] {
    return [...this.byType.values()];
  }
}

function checkedKinds(kinds: readonly JobKind[]): Map<TaskType, JobKind> {
  const byType = new Map<TaskType, JobKind>();
  for (const kind of kinds) {
    const type: string = kind.type;
    if (!isTaskType(type)) throw new Error(`job kind '${type}' names no task type (known: ${TASK_TYPES.join(', ')})`);
    if (byType.has(type)) throw new Error(`job kind '${type}' is registered twice`);
    if (kind.mutating && !kind.readBack) {
      throw new Error(`job kind '${type}' is mutating but says nothing of how its effect is read back (readBack)`);
    }
    byType.set(type, kind);
  }
  const missing = TASK_TYPES.filter((t) => !byType.has(t));
  if (missing.length)
    throw new Error(`no job kind for task type${missing.length > 1 ? 's' : ''} ${missing.map((t) => `'${t}'`).join(', ')}`);
  return byType;
}
