import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Injection token: this worker process's id, as stored in `task.worker_id` and `worker_process`. */
export const WORKER_ID = Symbol('WORKER_ID');

/** host:pid:random, unique even when a pid is reused after a restart. */
export const newWorkerId = (): string => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
