import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import helmet from 'helmet';

/** helmet's security headers on every answer, and no `X-Powered-By` telling what serves them. */
export function useSecurityHeaders(app: INestApplication): void {
  (app.getHttpAdapter().getInstance() as Express).disable('x-powered-by');
  app.use(helmet());
}
