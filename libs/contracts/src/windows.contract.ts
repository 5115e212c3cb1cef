import { z } from 'zod';
import { authErrors, bodyErrors, errors, isoTime, page, pagingQuery } from './common';
import { diffOpSchema } from './desired.contract';
import { endpoint } from './endpoint';
import { clusterName, nodeSelectorSchema } from './nodes.contract';

export const windowName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-"');
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const startTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00-23:59)');
const endTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM (00:00-24:00)');

/** Every IANA name this Node's Intl knows (the same test luxon's IANAZone makes). */
export const timeZoneName = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone, e.g. Europe/Berlin');

export const weeklyRangeSchema = z
  .strictObject({
    days: z.array(weekday).min(1).max(7),
    start: startTime,
    /** At or before `start`: on the next day (22:00-02:00). */
    end: endTime,
  })
  .refine((r) => r.start !== r.end, { error: 'end must differ from start (a whole day is 00:00-24:00)', path: ['end'] });

/** The checks every stored window passes, whether created whole or patched. */
const windowRules = <T extends z.ZodType<WindowFields>>(schema: T) =>
  schema.superRefine((w, ctx) => {
    const hasWeekly = w.weekly !== undefined && w.weekly !== null;
    const hasRule = w.rrule !== undefined && w.rrule !== null;
    if (hasWeekly === hasRule)
      ctx.addIssue({ code: 'custom', path: ['weekly'], message: 'give either weekly ranges or an rrule, not both' });
    if (hasRule && (w.durationMinutes === undefined || w.durationMinutes === null))
      ctx.addIssue({ code: 'custom', path: ['durationMinutes'], message: 'an rrule needs a duration in minutes' });
    if (hasWeekly && w.durationMinutes !== undefined && w.durationMinutes !== null)
      ctx.addIssue({ code: 'custom', path: ['durationMinutes'], message: 'weekly ranges have their own end: no duration' });
    if ((w.selector === undefined || w.selector === null) && !w.clusters?.length)
      ctx.addIssue({ code: 'custom', path: ['selector'], message: 'give a selector or clusters: a window applies to no node otherwise' });
  });

interface WindowFields {
  selector?: unknown;
  clusters?: string[] | undefined;
  weekly?: unknown;
  rrule?: string | null | undefined;
  durationMinutes?: number | null | undefined;
}

const windowFields = {
  description: z.string().max(1000, 'must be at most 1000 characters'),
  /** The nodes it applies to, as a fleet task selects them (labels, nodes, clusters, all). */
  selector: nodeSelectorSchema.nullable(),
  /** And every node of these clusters. */
  clusters: z.array(clusterName).max(1000),
  timezone: timeZoneName,
  weekly: z.array(weeklyRangeSchema).min(1).max(100).nullable(),
  /** `FREQ=WEEKLY;BYDAY=SA;BYHOUR=2` (DAILY to YEARLY), optionally after a line `DTSTART:20270102T020000`; local times. */
  rrule: z.string().min(1).max(1000).nullable(),
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .nullable(),
  enabled: z.boolean(),
};

export const createWindowSchema = windowRules(
  z.strictObject({
    name: windowName,
    ...windowFields,
    description: windowFields.description.default(''),
    selector: windowFields.selector.default(null),
    clusters: windowFields.clusters.default([]),
    weekly: windowFields.weekly.default(null),
    rrule: windowFields.rrule.default(null),
    durationMinutes: windowFields.durationMinutes.default(null),
    enabled: windowFields.enabled.default(true),
  }),
);
export type CreateWindow = z.infer<typeof createWindowSchema>;

/** Only the fields given change; the result is checked as a whole (null clears a nullable field). */
export const updateWindowSchema = z
  .strictObject(
    Object.fromEntries(Object.entries(windowFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof windowFields]: z.ZodOptional<(typeof windowFields)[K]>;
    },
  )
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');
export type UpdateWindow = z.infer<typeof updateWindowSchema>;
/** What PATCH checks after merging the change into the stored window. */
export const storedWindowSchema = createWindowSchema;

export const windowNameParams = z.strictObject({ name: windowName });
export const listWindowsQuery = z.strictObject({ ...pagingQuery });
export const listWindowRevisionsQuery = z.strictObject({ ...pagingQuery });

const openingSchema = z.strictObject({ start: isoTime, end: isoTime, open: z.boolean() });

export const windowViewSchema = z
  .strictObject({
    name: z.string(),
    description: z.string(),
    selector: z.record(z.string(), z.unknown()).nullable(),
    clusters: z.array(z.string()),
    timezone: z.string(),
    weekly: z.array(z.strictObject({ days: z.array(z.string()), start: z.string(), end: z.string() })).nullable(),
    rrule: z.string().nullable(),
    durationMinutes: z.number().int().nullable(),
    enabled: z.boolean(),
    /** Its opening now (`open: true`, until `end`) or its next; null when disabled or none within a year. */
    next: openingSchema.nullable(),
    revision: z.number().int(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'MaintenanceWindow' });
export type WindowView = z.infer<typeof windowViewSchema>;

export const windowRevisionViewSchema = z
  .strictObject({
    n: z.number().int(),
    author: z.string(),
    createdAt: isoTime,
    document: z.record(z.string(), z.unknown()).nullable(),
    /** What changed from the revision before. */
    diff: z.array(diffOpSchema),
  })
  .meta({ id: 'MaintenanceWindowRevision' });

export const windowEndpoints = [
  endpoint({
    method: 'post',
    path: '/windows',
    operationId: 'createWindow',
    summary: 'Declare a maintenance window: when mutating scheduled work and rollout batches may start on the nodes it applies to',
    description:
      'Weekly ranges (`[{days, start, end}]`, wall-clock in `timezone`, an end at or before the start ends the next day) or an iCal `rrule` with `durationMinutes`. It applies to the nodes `selector` picks and every node of `clusters`. 409 when the name is taken.',
    tag: 'windows',
    body: createWindowSchema,
    responses: { 201: { description: 'Created (revision 1)', schema: windowViewSchema }, ...bodyErrors, 409: errors[409], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/windows',
    operationId: 'listWindows',
    summary: 'Maintenance windows by name',
    tag: 'windows',
    query: listWindowsQuery,
    responses: { 200: { description: 'A page of windows', schema: page(windowViewSchema) }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/windows/{name}',
    operationId: 'getWindow',
    summary: 'One maintenance window, with its next opening',
    tag: 'windows',
    params: windowNameParams,
    responses: { 200: { description: 'The window', schema: windowViewSchema }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'patch',
    path: '/windows/{name}',
    operationId: 'updateWindow',
    summary: 'Change some fields of a maintenance window (a new revision)',
    tag: 'windows',
    params: windowNameParams,
    body: updateWindowSchema,
    responses: { 200: { description: 'The window as saved', schema: windowViewSchema }, ...bodyErrors, 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'delete',
    path: '/windows/{name}',
    operationId: 'deleteWindow',
    summary: 'Delete a maintenance window (its revisions stay)',
    tag: 'windows',
    params: windowNameParams,
    responses: { 204: { description: 'Deleted' }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/windows/{name}/revisions',
    operationId: 'listWindowRevisions',
    summary: 'Every change to a maintenance window, newest first: author, time, document and diff',
    tag: 'windows',
    params: windowNameParams,
    query: listWindowRevisionsQuery,
    responses: {
      200: { description: 'A page of revisions', schema: page(windowRevisionViewSchema) },
      400: errors[400],
      404: errors[404],
      ...authErrors,
    },
  }),
] as const;
