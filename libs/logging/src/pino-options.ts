import type { LoggerOptions } from 'pino';
import type { LogSettings } from './log-settings';
import { REDACTED, REDACTED_PATHS } from './redaction';

/** The key of a record's text: `message`, as Nest's JSON logger wrote it before (log stores already index it). */
export const MESSAGE_KEY = 'message';

/**
 * One pino configuration for every pvefleet process: level names instead of numbers, ISO times,
 * secrets redacted. Lines about a task's work carry its upid, node and rolloutId (task-log-context.ts).
 */
export function pinoOptions(settings: LogSettings, processName: string): LoggerOptions {
  return {
    level: settings.level,
    messageKey: MESSAGE_KEY,
    base: { process: processName, pid: process.pid },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
  };
}
