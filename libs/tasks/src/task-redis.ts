/**
 * Injection token: the Redis connection the task queue and the cancel messages go over. Each app
 * provides it (globally) with the options it needs: the worker's never gives up on a command
 * (BullMQ's blocking reads), the API's fails fast while Redis is away.
 */
export const TASK_REDIS = Symbol('TASK_REDIS');
