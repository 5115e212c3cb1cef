import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { SpecError } from '@pvefleet/jobs';
import { requestHash, type IdempotencyClaim } from '@pvefleet/tasks';
import type { Request } from 'express';
import type { Identity } from '../auth/identity';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's `Idempotency-Key` as a claim for the work it creates (undefined without one): a
 * retry with the same key, from the same token, for the same route and body, gets the first answer.
 */
export const IdempotencyClaimOf = createParamDecorator((_: unknown, ctx: ExecutionContext): IdempotencyClaim | undefined => {
  const req = ctx.switchToHttp().getRequest<Request & { identity: Identity }>();
  const key = req.headers[IDEMPOTENCY_HEADER.toLowerCase()];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new SpecError([{ field: IDEMPOTENCY_HEADER, message: 'must be 1-255 visible ASCII characters (a UUID, say)' }]);
  }
  return { user: req.identity.id, key, requestHash: requestHash(`${req.method} ${req.path}`, req.body) };
});

/** The header in the OpenAPI document, for every POST that creates work. */
export const AcceptsIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: IDEMPOTENCY_HEADER,
      required: false,
      description:
        'Makes a retry safe: the same key (per token) for the same request returns the first answer; another request with it gets 409.',
    }),
  );
