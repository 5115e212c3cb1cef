import {
  desiredFieldsSchema,
  fieldModeSchema,
  profileName,
  profilePriority,
  type NodeSelector as DesiredSelector,
} from '@pvefleet/desired';
import { z } from 'zod';
import { authErrors, bodyErrors, errors, isoTime, page, pagingQuery } from './common';
import { endpoint } from './endpoint';
import { nodeNameParams, nodeSelectorSchema, type NodeSelector } from './nodes.contract';

// The pure desired-state package declares the selector without importing the contracts: the two must stay one shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const DESIRED_SELECTOR_IS_THE_TASK_SELECTOR: Same<NodeSelector, DesiredSelector> = true;

/** A profile as written: PUT replaces all of it (name from the path). */
const profileBody = {
  description: z.string().max(1000, 'must be at most 1000 characters').default(''),
  /** The nodes it applies to, as a fleet task selects them. */
  selector: nodeSelectorSchema,
  priority: profilePriority.default(0),
  /** `{ [field]: { value, mode? } }`; each value checked by its field's schema (the catalog kind's own). */
  fields: desiredFieldsSchema.default({}),
};
export const createProfileSchema = z.strictObject({ name: profileName, ...profileBody });
export type CreateProfile = z.infer<typeof createProfileSchema>;
export const updateProfileSchema = z.strictObject(profileBody);
export type UpdateProfile = z.infer<typeof updateProfileSchema>;

export const overrideSchema = z.strictObject({ fields: desiredFieldsSchema });
export type OverrideBody = z.infer<typeof overrideSchema>;

export const profileNameParams = z.strictObject({ name: profileName });
export const profileRevisionParams = z.strictObject({ name: profileName, n: z.coerce.number().int().min(1).max(2_147_483_647) });
export const listProfilesQuery = z.strictObject({ ...pagingQuery });
export const listRevisionsQuery = z.strictObject({ ...pagingQuery });

/** How fields are shown (values as stored, already parsed by their schemas). */
const fieldMapView = z.record(z.string(), z.object({ value: z.unknown(), mode: fieldModeSchema.optional() }));

export const profileViewSchema = z
  .strictObject({
    name: z.string(),
    description: z.string(),
    selector: z.record(z.string(), z.unknown()),
    priority: z.number().int(),
    fields: fieldMapView,
    /** The current revision number. */
    revision: z.number().int(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'Profile' });
export type ProfileView = z.infer<typeof profileViewSchema>;

export const diffOpSchema = z.object({
  op: z.enum(['add', 'remove', 'replace']),
  /** JSON Pointer into the document. */
  path: z.string(),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
});

export const revisionViewSchema = z
  .strictObject({
    n: z.number().int(),
    /** The token's owner who made the change, `user@realm!token`. */
    author: z.string(),
    createdAt: isoTime,
    /** The document after the change; null for a deletion. */
    document: z.record(z.string(), z.unknown()).nullable(),
    /** What changed from the revision before. */
    diff: z.array(diffOpSchema),
  })
  .meta({ id: 'DesiredRevision' });
export type RevisionView = z.infer<typeof revisionViewSchema>;

export const overrideViewSchema = z
  .strictObject({ node: z.string(), fields: fieldMapView, revision: z.number().int(), updatedAt: isoTime })
  .meta({ id: 'NodeOverride' });
export type OverrideView = z.infer<typeof overrideViewSchema>;

const fieldSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('profile'), name: z.string(), revision: z.number().int() }),
  z.strictObject({ kind: z.literal('override'), revision: z.number().int() }),
]);

export const nodeDesiredSchema = z
  .strictObject({
    node: z.string(),
    /** Per field: the merged value, its mode and where it came from. */
    fields: z.record(z.string(), z.strictObject({ value: z.unknown(), mode: fieldModeSchema, source: fieldSourceSchema })),
  })
  .meta({ id: 'NodeDesired' });
export type NodeDesiredView = z.infer<typeof nodeDesiredSchema>;

const conflict = { 409: errors[409] };

export const desiredEndpoints = [
  endpoint({
    method: 'post',
    path: '/profiles',
    operationId: 'createProfile',
    summary: 'Declare a profile: a selector, a priority and the desired fields of the nodes it selects',
    description:
      'Refused with 409 when another profile of the same priority sets one of the same fields and their selectors can select the same node, or when the name is taken.',
    tag: 'desired',
    body: createProfileSchema,
    responses: { 201: { description: 'Created (revision 1)', schema: profileViewSchema }, ...bodyErrors, ...conflict, ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/profiles',
    operationId: 'listProfiles',
    summary: 'Profiles by name',
    tag: 'desired',
    query: listProfilesQuery,
    responses: { 200: { description: 'A page of profiles', schema: page(profileViewSchema) }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/profiles/{name}',
    operationId: 'getProfile',
    summary: 'One profile',
    tag: 'desired',
    params: profileNameParams,
    responses: { 200: { description: 'The profile', schema: profileViewSchema }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'put',
    path: '/profiles/{name}',
    operationId: 'updateProfile',
    summary: 'Replace a profile (a new revision)',
    tag: 'desired',
    params: profileNameParams,
    body: updateProfileSchema,
    responses: {
      200: { description: 'The profile as saved', schema: profileViewSchema },
      ...bodyErrors,
      404: errors[404],
      ...conflict,
      ...authErrors,
    },
  }),
  endpoint({
    method: 'delete',
    path: '/profiles/{name}',
    operationId: 'deleteProfile',
    summary: 'Delete a profile (its revisions stay; a restore brings it back)',
    tag: 'desired',
    params: profileNameParams,
    responses: { 204: { description: 'Deleted' }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/profiles/{name}/revisions',
    operationId: 'listProfileRevisions',
    summary: 'Every change to a profile, newest first: author, time, document and diff',
    tag: 'desired',
    params: profileNameParams,
    query: listRevisionsQuery,
    responses: {
      200: { description: 'A page of revisions', schema: page(revisionViewSchema) },
      400: errors[400],
      404: errors[404],
      ...authErrors,
    },
  }),
  endpoint({
    method: 'post',
    path: '/profiles/{name}/revisions/{n}/restore',
    operationId: 'restoreProfileRevision',
    summary: 'Make revision n current again, as a new revision (a deleted profile comes back)',
    tag: 'desired',
    params: profileRevisionParams,
    responses: {
      200: { description: 'The profile as restored', schema: profileViewSchema },
      400: errors[400],
      404: errors[404],
      ...conflict,
      ...authErrors,
    },
  }),
  endpoint({
    method: 'get',
    path: '/nodes/{name}/override',
    operationId: 'getNodeOverride',
    summary: "A node's own desired fields, above every profile",
    tag: 'desired',
    params: nodeNameParams,
    responses: { 200: { description: 'The override', schema: overrideViewSchema }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'put',
    path: '/nodes/{name}/override',
    operationId: 'putNodeOverride',
    summary: "Replace a node's override (a new revision)",
    tag: 'desired',
    params: nodeNameParams,
    body: overrideSchema,
    responses: {
      200: { description: 'The override as saved', schema: overrideViewSchema },
      ...bodyErrors,
      404: errors[404],
      ...authErrors,
    },
  }),
  endpoint({
    method: 'delete',
    path: '/nodes/{name}/override',
    operationId: 'deleteNodeOverride',
    summary: "Remove a node's override: its profiles decide again",
    tag: 'desired',
    params: nodeNameParams,
    responses: { 204: { description: 'Removed' }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/nodes/{name}/desired',
    operationId: 'getNodeDesired',
    summary: 'The merged desired state of a node, and for every field the profile (or override) it came from',
    tag: 'desired',
    params: nodeNameParams,
    responses: { 200: { description: 'The desired state', schema: nodeDesiredSchema }, 400: errors[400], 404: errors[404], ...authErrors },
  }),
] as const;
