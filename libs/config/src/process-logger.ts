import { createProcessLogger } from '@pvefleet/logging';
import type { Logger } from 'pino';
import type { AppConfig } from './app-config';

/**
 * The process's pino logger as configured: PVEFLEET_LOG_LEVEL, and PVEFLEET_LOG_FORMAT (JSON lines
 * by default, for Loki, Elasticsearch and friends; `pretty` or a terminal for people).
 */
export function processLogger(
  processName: string,
  config: Pick<AppConfig, 'logFormat' | 'logLevel'>,
  isTty = process.stdout.isTTY,
): Logger {
  const pretty = config.logFormat === undefined ? isTty : config.logFormat !== 'json';
  return createProcessLogger(processName, { level: config.logLevel, pretty });
}
