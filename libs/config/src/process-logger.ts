import { ConsoleLogger } from '@nestjs/common';
import type { AppConfig } from './app-config';

/**
 * The process's logger: Nest's own, as text lines or, with PVEFLEET_LOG_FORMAT=json, one JSON
 * object per line (a stack trace stays inside its line), for Loki, Elasticsearch and friends.
 */
export function processLogger(config: Pick<AppConfig, 'logFormat'>): ConsoleLogger {
  return new ConsoleLogger({ json: config.logFormat === 'json', logLevels: ['log', 'warn', 'error'] });
}
