import { Module, type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { Logger, LoggerModule } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { httpLoggingOptions } from './http-logging';

/** The root of a logged process: the app's own module beside nestjs-pino's. */
@Module({})
class LoggedProcessModule {}

/**
 * An app's root module with pino as Nest's logger: create the app from this with `bufferLogs: true`,
 * then `useProcessLogging(app)`, so even the lines of module start-up are JSON. On an HTTP app every
 * request gets an id and a line; on a worker the HTTP part simply never runs.
 */
export function withProcessLogging(root: Type | DynamicModule, logger: Pino): DynamicModule {
  return {
    module: LoggedProcessModule,
    imports: [LoggerModule.forRoot({ pinoHttp: { logger, ...httpLoggingOptions() } }), root],
  };
}

/** Makes pino the app's logger (flushing what Nest buffered during start-up). */
export function useProcessLogging(app: INestApplicationContext): void {
  app.useLogger(app.get(Logger));
  app.flushLogs();
}
