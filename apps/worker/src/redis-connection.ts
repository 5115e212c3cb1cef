import { watchConnection } from '@pvefleet/tasks';
import { Redis } from 'ioredis';

/** BullMQ's blocking commands need unlimited retries per request; this is the connection it gets. */
export function createRedis(url: string, name: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectionName: name, lazyConnect: false });
  watchConnection(`redis (${name})`, redis);
  return redis;
}
