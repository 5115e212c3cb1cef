import { ERROR_CLASSES } from '@pvefleet/errors';
import { nodeName } from '@pvefleet/jobs';
import { z } from 'zod';
import { authErrors, bodyErrors, errors, int, nullableTime } from './common';
import { endpoint } from './endpoint';
import { nodeNameParams, nodeSelectorSchema } from './nodes.contract';

/** Proxmox's decoding regex, verbatim (the same as `UPID_PATTERN` in @pvefleet/tasks). */
export const UPID_REGEX =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

export const upidSchema = z.string().max(512).regex(UPID_REGEX, 'must be a Proxmox UPID (UPID:node:pid:pstart:starttime:type:id:user:)');

/** The job: a type from GET /job-kinds and its params (checked against that kind's own schema). */
export const createTaskSchema = z.strictObject({
  type: z.string().max(64, 'must be at most 64 characters'),
  params: z.record(z.string(), z.unknown()).default({}),
  dryRun: z.boolean().default(false),
});
export type CreateTask = z.infer<typeof createTaskSchema>;

/** The fleet form: one job spec for every selected node, one task (and UPID) each. */
export const fleetTaskSchema = createTaskSchema.extend({ selector: nodeSelectorSchema });
export type FleetTask = z.infer<typeof fleetTaskSchema>;

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

export const TASK_STATUSES = ['queued', 'running', 'stopped'] as const;

export const listTasksQuery = z.strictObject({
  node: nodeName.optional(),
  type: z
    .string()
    .regex(/^[^:\s/]{1,64}$/, 'must be a task type')
    .optional(),
  status: z.enum(TASK_STATUSES).optional(),
  user: z
    .string()
    .regex(/^[^:\s/]{1,128}$/, 'must be a user such as admin@pvefleet!ci')
    .optional(),
  since: time.optional(),
  until: time.optional(),
  errors: boolFlag.optional(),
  /** The tasks of one schedule run (`GET /schedules/{id}` lists the runs). */
  scheduleRun: int(1, 2_147_483_647).optional(),
  start: int(0, 10_000_000).default(0),
  limit: int(1, 1_000).default(50),
});
export type ListTasksQuery = z.infer<typeof listTasksQuery>;

export const logQuery = z.strictObject({
  start: int(0, 100_000_000).default(0),
  limit: int(1, 50_000).default(50),
});
export const logStreamQuery = logQuery.pick({ start: true });

export const upidParams = z.strictObject({ upid: upidSchema });

/** A task in Proxmox's shape (`upid, node, pid, pstart, starttime, type, id, user, status, exitstatus`) plus ours. */
export const taskViewSchema = z
  .strictObject({
    upid: z.string(),
    node: z.string(),
    pid: z.number().int(),
    pstart: z.number().int(),
    starttime: z.number().int(),
    endtime: z.number().int().nullable(),
    type: z.string(),
    id: z.string(),
    user: z.string(),
    status: z.enum(TASK_STATUSES),
    exitstatus: z.string().nullable(),
    /** Why it failed, decided where it failed (null while it runs or when it succeeded). */
    errorClass: z.enum(ERROR_CLASSES).nullable(),
    /** The rollout whose step this task is; null for a task asked for directly. */
    rolloutId: z.number().int().nullable(),
    /** The reconcile (POST /reconcile) that created this task to fix drift; null otherwise. */
    reconcileId: z.number().int().nullable(),
    /** The desired-state field a reconcile task converges (e.g. `ntp`); null otherwise. */
    desiredField: z.string().nullable(),
    /** The schedule run that created this task (GET /schedules/{id} lists its runs); null otherwise. */
    scheduleRunId: z.number().int().nullable(),
    /** A scheduled task waiting for its start time (and its node's maintenance window): no worker takes it yet. */
    held: z.boolean(),
    /** When a scheduled task may start: its run's fire time plus its place in the spread; null otherwise. */
    startAfter: nullableTime,
    startedAt: nullableTime,
    endedAt: nullableTime,
    logLines: z.number().int(),
  })
  .meta({ id: 'Task' });

export const taskDetailViewSchema = taskViewSchema
  .extend({
    params: z.unknown(),
    plan: z.unknown(),
    result: z.unknown(),
    cancelledBy: z.string().nullable(),
  })
  .meta({ id: 'TaskDetail' });

export const submittedTaskSchema = z
  .strictObject({
    upid: z.string(),
    node: z.string(),
    type: z.string(),
    id: z.string(),
    status: z.literal('queued'),
  })
  .meta({ id: 'SubmittedTask' });

export const plannedTaskSchema = z
  .strictObject({
    node: z.string(),
    type: z.string(),
    id: z.string(),
    mutating: z.boolean(),
    /** The kind's plan: the exact commands it would run, and what it would check. */
    plan: z.unknown(),
  })
  .meta({ id: 'PlannedTask' });

const dryRunBody = z.strictObject({ dryRun: z.literal(true), plans: z.array(plannedTaskSchema) });

export const taskListBody = z.strictObject({
  total: z.number().int(),
  /** False past 10,000 matches: `total` is then Postgres's estimate. */
  totalExact: z.boolean(),
  start: z.number().int(),
  limit: z.number().int(),
  data: z.array(taskViewSchema),
});

export const logLineSchema = z
  .strictObject({
    n: z.number().int(),
    t: z.string(),
    /** Epoch milliseconds. */
    ts: z.number(),
    stream: z.string(),
  })
  .meta({ id: 'LogLine' });

export const taskLogBody = z.strictObject({ total: z.number().int(), status: z.enum(TASK_STATUSES), data: z.array(logLineSchema) });

export const IDEMPOTENCY_KEY_HEADER = {
  'Idempotency-Key':
    'Makes a retry safe: the same key (per token) for the same request returns the first answer; another request with it gets 409.',
};

export const taskEndpoints = [
  endpoint({
    method: 'post',
    path: '/nodes/{name}/tasks',
    operationId: 'createTask',
    summary: 'Start a task on a node (202 with its UPID), or show its plan with dryRun (200)',
    tag: 'tasks',
    params: nodeNameParams,
    body: createTaskSchema,
    headers: IDEMPOTENCY_KEY_HEADER,
    responses: {
      200: { description: 'dryRun: the plan, nothing started', schema: dryRunBody },
      202: { description: 'Queued', schema: submittedTaskSchema },
      ...bodyErrors,
      404: errors[404],
      409: errors[409],
      ...authErrors,
    },
  }),
  endpoint({
    method: 'post',
    path: '/tasks',
    operationId: 'createFleetTasks',
    summary: 'Fleet form: one task per selected node (202 with their UPIDs), or every plan with dryRun (200)',
    tag: 'tasks',
    body: fleetTaskSchema,
    headers: IDEMPOTENCY_KEY_HEADER,
    responses: {
      200: { description: 'dryRun: every plan, nothing started', schema: dryRunBody },
      202: { description: 'Queued, one task per node', schema: z.strictObject({ tasks: z.array(submittedTaskSchema) }) },
      ...bodyErrors,
      409: errors[409],
      ...authErrors,
    },
  }),
  endpoint({
    method: 'get',
    path: '/tasks',
    operationId: 'listTasks',
    summary: 'Task history, newest first, with filters and a total',
    description:
      '`total` is exact when `totalExact` is true, which it always is up to 10,000 matching tasks; ' +
      "past that, counting would cost more than the page itself, and `total` is Postgres's estimate.",
    tag: 'tasks',
    query: listTasksQuery,
    responses: { 200: { description: 'A page of tasks', schema: taskListBody }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/tasks/{upid}',
    operationId: 'getTask',
    summary: 'One task with its params, plan and result',
    tag: 'tasks',
    params: upidParams,
    responses: { 200: { description: 'The task', schema: taskDetailViewSchema }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'delete',
    path: '/tasks/{upid}',
    operationId: 'cancelTask',
    summary: 'Stop a task: a queued one never runs, a running one has its remote command stopped',
    tag: 'tasks',
    params: upidParams,
    responses: {
      202: {
        description: 'Stopped (it was queued) or stopping',
        schema: z.strictObject({ upid: z.string(), status: z.enum(['stopped', 'stopping']) }),
      },
      400: errors[400],
      404: errors[404],
      ...authErrors,
    },
  }),
  endpoint({
    method: 'get',
    path: '/tasks/{upid}/log',
    operationId: 'getTaskLog',
    summary: "A page of the task's log: lines {n, t} numbered from 1; start is 0-based",
    tag: 'tasks',
    params: upidParams,
    query: logQuery,
    responses: { 200: { description: 'A page of lines', schema: taskLogBody }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/tasks/{upid}/log/stream',
    operationId: 'streamTaskLog',
    summary: 'The live log as Server-Sent Events; ends when the task stops',
    description:
      "Each event's id is its line number: a client reconnecting with `Last-Event-ID` resumes after that line. " +
      'Events: `data: {"n","t","ts"}` per line, then `event: end` with `{"status","exitstatus"}`.',
    tag: 'tasks',
    params: upidParams,
    query: logStreamQuery,
    headers: { 'Last-Event-ID': 'Resume after this line number' },
    responses: {
      200: { description: 'The event stream', contentType: 'text/event-stream' },
      400: errors[400],
      404: errors[404],
      ...authErrors,
    },
  }),
] as const;
