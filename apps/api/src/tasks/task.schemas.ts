import { nodeName } from '@pvefleet/jobs';
import { nodeSelectorSchema } from '@pvefleet/nodes';
import { UPID_PATTERN } from '@pvefleet/tasks';
import { z } from 'zod';

export const createTaskSchema = z.strictObject({
  type: z.string().max(64, 'must be at most 64 characters'),
  params: z.record(z.string(), z.unknown()).default({}),
  dryRun: z.boolean().default(false),
});
export type CreateTask = z.infer<typeof createTaskSchema>;

/** The fleet form: one job spec for every selected node, one task (and UPID) each. */
export const fleetTaskSchema = createTaskSchema.extend({ selector: nodeSelectorSchema });
export type FleetTask = z.infer<typeof fleetTaskSchema>;

export const upidSchema = z.string().max(512).regex(UPID_PATTERN, 'must be a Proxmox UPID (UPID:node:pid:pstart:starttime:type:id:user:)');

const boolFlag = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** Epoch seconds (as Proxmox's task API takes them) or an ISO 8601 time. */
const time = z.string().transform((v, ctx) => {
  const d = /^\d{1,12}$/.test(v) ? new Date(Number(v) * 1000) : new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'must be epoch seconds or an ISO 8601 time' });
    return z.NEVER;
  }
  return d;
});

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const listTasksQuery = z.strictObject({
  node: nodeName.optional(),
  type: z
    .string()
    .regex(/^[^:\s/]{1,64}$/, 'must be a task type')
    .optional(),
  status: z.enum(['queued', 'running', 'stopped']).optional(),
  user: z
    .string()
    .regex(/^[^:\s/]{1,128}$/, 'must be a user such as admin@pvefleet!ci')
    .optional(),
  since: time.optional(),
  until: time.optional(),
  errors: boolFlag.optional(),
  start: int(0, 10_000_000).default(0),
  limit: int(1, 1_000).default(50),
});

export const logQuery = z.strictObject({
  start: int(0, 100_000_000).default(0),
  limit: int(1, 50_000).default(50),
});
