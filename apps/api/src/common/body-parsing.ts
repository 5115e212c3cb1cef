import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { sendError } from './error.filter';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * JSON bodies up to 64 KiB (a 4096-bit private key is ~3.3 KiB). Parse errors answer 400 naming
 * `body`, in the same shape as every other validation error, before any route runs.
 */
export function useJsonBodies(app: INestApplication): void {
  app.use(express.json({ limit: MAX_BODY_BYTES, strict: true }));
  app.use((err: Error & { type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (err.type === 'entity.too.large') {
      return sendError(res, 400, 'Bad Request', `body: larger than ${MAX_BODY_BYTES} bytes`, [
        { field: 'body', message: `larger than ${MAX_BODY_BYTES} bytes` },
      ]);
    }
    if (err.type === 'entity.parse.failed' || err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
      return sendError(res, 400, 'Bad Request', `body: not valid JSON (${err.message})`, [{ field: 'body', message: 'not valid JSON' }]);
    }
    next(err);
  });
}
