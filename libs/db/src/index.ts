export * from './errors';
export * from './db-failure';
export * from './database-wait';
export * from './db';
export * from './db.module';
export * from './pg-pool';
export * from './prisma.service';
export { Prisma, TaskStatus } from './generated/prisma/client';
export type { Node, Task, ApiToken } from './generated/prisma/client';
