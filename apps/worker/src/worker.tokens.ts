export const WORKER_REDIS = Symbol('WORKER_REDIS');
export const WORKER_ID = Symbol('WORKER_ID');
