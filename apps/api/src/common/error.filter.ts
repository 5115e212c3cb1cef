import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ConflictError, NotFoundError, classifyDbFailure } from '@pvefleet/db';
import { SpecError, type FieldError } from '@pvefleet/jobs';
import type { Response } from 'express';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldError[];
}

export function sendError(res: Response, statusCode: number, error: string, message: string, errors?: FieldError[]): void {
  const body: ErrorBody = { statusCode, error, message, ...(errors ? { errors } : {}) };
  res.status(statusCode).json(body);
}

/** What a client is told to wait before retrying while the database is away. */
const RETRY_AFTER_SECONDS = 5;

/** One error shape for every endpoint; domain errors map to their status here and nowhere else. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (err instanceof SpecError) {
      sendError(res, 400, 'Bad Request', err.message, err.errors);
    } else if (err instanceof NotFoundError) {
      sendError(res, 404, 'Not Found', err.message);
    } else if (err instanceof ConflictError) {
      sendError(res, 409, 'Conflict', err.message);
    } else if (err instanceof HttpException) {
      const status = err.getStatus();
      const body = err.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? err.message);
      sendError(res, status, err.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'), String(message));
    } else if (classifyDbFailure(err) === 'unavailable') {
      this.logger.warn(`database unavailable (${(err as { code?: string }).code ?? 'no code'}): answered 503`);
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      sendError(res, 503, 'Service Unavailable', 'the database is unavailable; retry shortly');
    } else {
      this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      sendError(res, 500, 'Internal Server Error', 'internal error');
    }
  }
}
