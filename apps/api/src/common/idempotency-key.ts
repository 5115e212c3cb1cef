import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
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
