import pino, { type Logger } from 'pino';
import { logDestination } from './log-destination';
import { readLogSettings, type LogSettings } from './log-settings';
import { pinoOptions } from './pino-options';

/** The process's one pino logger (Nest's logger and the HTTP request lines are children of it). */
export function createProcessLogger(processName: string, settings: LogSettings = readLogSettings()): Logger {
  return pino(pinoOptions(settings, processName), logDestination(settings));
}
