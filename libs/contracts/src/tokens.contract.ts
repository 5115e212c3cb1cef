import { z } from 'zod';
import { authErrors, bodyErrors, errors, isoTime, nullableTime, page, pagingQuery } from './common';
import { endpoint } from './endpoint';

export const tokenName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9._-]{0,63}$/, 'must be a token name: a letter, then up to 63 of [A-Za-z0-9._-]');
export const createTokenSchema = z.strictObject({ name: tokenName });
export const tokenNameParams = z.strictObject({ name: tokenName });
export const listTokensQuery = z.strictObject({ ...pagingQuery });
export type ListTokensQuery = z.infer<typeof listTokensQuery>;

/** `id` is Proxmox-style `user@realm!name`. */
export const tokenViewSchema = z.strictObject({ id: z.string(), createdAt: isoTime, lastUsedAt: nullableTime }).meta({ id: 'Token' });
export const createdTokenSchema = z.strictObject({ id: z.string(), token: z.string() });

export const tokenEndpoints = [
  endpoint({
    method: 'post',
    path: '/tokens',
    operationId: 'createToken',
    summary: 'Create an API token for the calling user; the secret is shown only in this response',
    tag: 'tokens',
    body: createTokenSchema,
    responses: { 201: { description: 'Created', schema: createdTokenSchema }, ...bodyErrors, 409: errors[409], ...authErrors },
  }),
  endpoint({
    method: 'get',
    path: '/tokens',
    operationId: 'listTokens',
    summary: "The calling user's tokens by name (never their secrets)",
    tag: 'tokens',
    query: listTokensQuery,
    responses: { 200: { description: 'A page of tokens', schema: page(tokenViewSchema) }, 400: errors[400], ...authErrors },
  }),
  endpoint({
    method: 'delete',
    path: '/tokens/{name}',
    operationId: 'revokeToken',
    summary: 'Revoke a token (never the last usable one)',
    tag: 'tokens',
    params: tokenNameParams,
    responses: { 204: { description: 'Revoked' }, 400: errors[400], 404: errors[404], 409: errors[409], ...authErrors },
  }),
] as const;
