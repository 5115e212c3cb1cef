import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { sendError } from './error.filter';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * JSON bodies up to 64 KiB (a 4096-bit private key is ~3.3 KiB); a larger one answers 413. Parse
 * errors answer 400 naming `body`, in the same shape as every other validation error, before any
 * route runs.
 */
export function useJsonBodies(app: INestApplication): void {
  app.use(refuseOtherMediaTypes);
  app.use(express.json({ limit: MAX_BODY_BYTES, strict: true }));
  app.use((err: Error & { type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (err.type === 'entity.too.large') {
      sendError(res, 413, 'Payload Too Large', `body: larger than ${MAX_BODY_BYTES} bytes`, [
        { field: 'body', message: `larger than ${MAX_BODY_BYTES} bytes` },
      ]);
    } else if (err.type === 'entity.parse.failed' || err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
      sendError(res, 400, 'Bad Request', `body: not valid JSON (${err.message})`, [{ field: 'body', message: 'not valid JSON' }]);
    } else {
      next(err);
    }
  });
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * A body that is not JSON would otherwise be ignored and the request judged as if it had none (a 400
 * about the first required field): say instead which content type we read. An empty POST (pause,
 * approve, …) needs no content type.
 */
function refuseOtherMediaTypes(req: Request, res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!WITH_BODY.has(req.method) || !hasBody || req.is('application/json')) {
    next();
    return;
  }
  const got = req.headers['content-type'] ? `got ${req.headers['content-type']}` : 'no content-type was sent';
  sendError(res, 415, 'Unsupported Media Type', `content-type must be application/json (${got})`, [
    { field: 'content-type', message: 'must be application/json' },
  ]);
}
