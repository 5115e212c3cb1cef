/** Thrown by kinds that are registered before their implementation lands. */
export class TaskFailurePlaceholder extends Error {}
