import { MISSED_RUN_POLICIES, OVERLAP_POLICIES } from '@pvefleet/schedules';
import { z } from 'zod';
import { authErrors, bodyErrors, errors, int, isoTime, nullableTime, page, pagingQuery } from './common';
import { diffOpSchema } from './desired.contract';
import { endpoint } from './endpoint';
import { nodeSelectorSchema } from './nodes.contract';
import { rolloutRequestSchema } from './rollouts.contract';

const scheduleName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');
const fieldKey = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'must be a desired-state field such as ntp');

/**
 * What a run does. `job`: a catalog job in its fleet form over the schedule's selector (params checked
 * by the kind's own schema when saved). `reconcile`: POST /reconcile over the selector, non-destructive
 * fixes only (a fix that destroys data needs a confirmation no schedule can give). `rollout`: a
 * rollout created from this template over the selector (the POST /rollouts body without selector).
 */
export const scheduleActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('job'),
    type: z.string().max(64, 'must be at most 64 characters'),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
  z.strictObject({ kind: z.literal('reconcile'), fields: z.array(fieldKey).min(1).max(64).optional() }),
  z.strictObject({ kind: z.literal('rollout'), template: rolloutRequestSchema.omit({ selector: true, dryRun: true }) }),
]);
export type ScheduleAction = z.infer<typeof scheduleActionSchema>;

/** Every field a schedule has; the create body gives defaults, PATCH takes any of them. */
const scheduleFields = {
  name: scheduleName,
  /** Five fields (minute hour day month weekday) or six (seconds first), read in `timezone`. */
  cron: z.string().min(1).max(128, 'must be at most 128 characters'),
  /** An IANA time zone, e.g. `Europe/Berlin`. A time skipped by a spring DST change runs right after it; a repeated autumn time runs once. */
  timezone: z.string().min(1).max(64, 'must be at most 64 characters'),
  selector: nodeSelectorSchema,
  action: scheduleActionSchema,
  /** Minutes over which a run's node tasks start, in a per-node order that is the same at every run. */
  spread: z.number().int().min(0).max(1_440),
  /** A fire time that passed while pvefleet was down: `skip` it (recorded), or `run-once` for the latest one missed. */
  missedRun: z.enum(MISSED_RUN_POLICIES),
  /** While the previous run still has tasks queued or running: `skip` this run (recorded), or `queue` it behind. */
  overlap: z.enum(OVERLAP_POLICIES),
  enabled: z.boolean(),
};

export const createScheduleSchema = z.strictObject({
  ...scheduleFields,
  timezone: scheduleFields.timezone.default('UTC'),
  spread: scheduleFields.spread.default(0),
  missedRun: scheduleFields.missedRun.default('skip'),
  overlap: scheduleFields.overlap.default('skip'),
  enabled: scheduleFields.enabled.default(true),
});
export type CreateSchedule = z.infer<typeof createScheduleSchema>;

export const updateScheduleSchema = z
  .strictObject(scheduleFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
export type UpdateSchedule = z.infer<typeof updateScheduleSchema>;

export const scheduleIdParams = z.strictObject({ id: int(1, 2_147_483_647) });
export const listSchedulesQuery = z.strictObject({ ...pagingQuery });
export const listScheduleRevisionsQuery = z.strictObject({ ...pagingQuery });

/** A fire time: the instant, and the wall-clock time in the schedule's zone with its offset. */
const fireTimeSchema = z.strictObject({ at: isoTime, local: z.string() });

export const scheduleViewSchema = z
  .strictObject({
    id: z.number().int(),
    name: z.string(),
    cron: z.string(),
    timezone: z.string(),
    selector: z.record(z.string(), z.unknown()),
    action: z.record(z.string(), z.unknown()),
    spread: z.number().int(),
    missedRun: z.enum(MISSED_RUN_POLICIES),
    overlap: z.enum(OVERLAP_POLICIES),
    enabled: z.boolean(),
    /** A built-in schedule's key (editable and pausable, never deleted); null for one made through the API. */
    builtin: z.string().nullable(),
    revision: z.number().int(),
    /** The latest fire time considered (run, skipped or missed). */
    lastFireAt: nullableTime,
    /** The next five fire times (none while paused). */
    nextRuns: z.array(fireTimeSchema),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'Schedule' });
export type ScheduleView = z.infer<typeof scheduleViewSchema>;

export const SCHEDULE_RUN_STATUSES = ['started', 'skipped', 'failed'] as const;

export const scheduleRunSchema = z
  .strictObject({
    id: z.number().int(),
    fireAt: isoTime,
    status: z.enum(SCHEDULE_RUN_STATUSES),
    /** Why skipped or failed: `overlap`, `missed`, or what went wrong. */
    reason: z.string().nullable(),
    /** What the run made: `{ nodes, rolloutId?, reconcileId? }`. */
    detail: z.record(z.string(), z.unknown()),
    createdAt: isoTime,
    /** Its tasks (GET /tasks?scheduleRun={id} lists them): by status, held among the queued, and by result once stopped. */
    tasks: z.strictObject({
      total: z.number().int(),
      held: z.number().int(),
      queued: z.number().int(),
      running: z.number().int(),
      stopped: z.number().int(),
      ok: z.number().int(),
      failed: z.number().int(),
    }),
  })
  .meta({ id: 'ScheduleRun' });
export type ScheduleRunView = z.infer<typeof scheduleRunSchema>;

export const scheduleDetailSchema = scheduleViewSchema
  .extend({
    /** The latest runs, newest first. */
    lastRuns: z.array(scheduleRunSchema),
  })
  .meta({ id: 'ScheduleDetail' });
export type ScheduleDetailView = z.infer<typeof scheduleDetailSchema>;

export const scheduleRevisionSchema = z
  .strictObject({
    n: z.number().int(),
    author: z.string(),
    createdAt: isoTime,
    /** The schedule after the change; null for the deletion. */
    document: z.record(z.string(), z.unknown()).nullable(),
    diff: z.array(diffOpSchema),
  })
  .meta({ id: 'ScheduleRevision' });
export type ScheduleRevisionView = z.infer<typeof scheduleRevisionSchema>;

const conflict = { 409: errors[409] };
const idParams = scheduleIdParams;
const notFound = { 400: errors[400], 404: errors[404] };

export const scheduleEndpoints = [
  endpoint({
    method: 'post',
    path: '/schedules',
    operationId: 'createSchedule',
    summary: 'Create a schedule: a job, reconcile or rollout over a selector, fired by cron in a time zone',
    description:
      'A bad cron expression, an unknown time zone or an action its kind refuses is a 400 naming the field. A taken name is a 409.',
    tag: 'schedules',
    body: createScheduleSchema,
    responses: { 201: { description: 'Created (revision 1)', schema: scheduleViewSchema }, ...bodyErrors, ...conflict, ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/schedules',
    operationId: 'listSchedules',
    summary: 'Schedules by name, each with its next run times',
    tag: 'schedules',
    query: listSchedulesQuery,
    responses: { 200: { description: 'A page of schedules', schema: page(scheduleViewSchema) }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/schedules/{id}',
    operationId: 'getSchedule',
    summary: 'One schedule: its next five run times in its time zone and its last runs with their task counts',
    tag: 'schedules',
    params: idParams,
    responses: { 200: { description: 'The schedule', schema: scheduleDetailSchema }, ...notFound, ...authErrors },
  }),
  endpoint({
    method: 'patch',
    path: '/schedules/{id}',
    operationId: 'updateSchedule',
    summary: 'Change some of a schedule’s fields (a new revision)',
    tag: 'schedules',
    params: idParams,
    body: updateScheduleSchema,
    responses: {
      200: { description: 'The schedule as saved', schema: scheduleViewSchema },
      ...bodyErrors,
      404: errors[404],
      ...conflict,
      ...authErrors,
    },
  }),
  endpoint({
    method: 'post',
    path: '/schedules/{id}/pause',
    operationId: 'pauseSchedule',
    summary: 'Stop firing the schedule (a new revision); fire times while paused are not run later',
    tag: 'schedules',
    params: idParams,
    responses: { 200: { description: 'The schedule as saved', schema: scheduleViewSchema }, ...notFound, ...authErrors },
  }),
  endpoint({
    method: 'post',
    path: '/schedules/{id}/resume',
    operationId: 'resumeSchedule',
    summary: 'Fire the schedule again from its next fire time (a new revision)',
    tag: 'schedules',
    params: idParams,
    responses: { 200: { description: 'The schedule as saved', schema: scheduleViewSchema }, ...notFound, ...authErrors },
  }),
  endpoint({
    method: 'delete',
    path: '/schedules/{id}',
    operationId: 'deleteSchedule',
    summary: 'Delete a schedule (its held tasks are cancelled; its revisions stay)',
    description: 'A built-in schedule is refused with 409: pause it instead.',
    tag: 'schedules',
    params: idParams,
    responses: { 204: { description: 'Deleted' }, ...notFound, ...conflict, ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/schedules/{id}/revisions',
    operationId: 'listScheduleRevisions',
    summary: 'Every change to a schedule, newest first',
    tag: 'schedules',
    params: idParams,
    query: listScheduleRevisionsQuery,
    responses: { 200: { description: 'A page of revisions', schema: page(scheduleRevisionSchema) }, ...notFound, ...authErrors },
  }),
];
