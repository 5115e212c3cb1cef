import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `text` is the name the readable form had before pino; it stays accepted. */
export const LOG_FORMATS = ['json', 'pretty', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogSettings {
  level: LogLevel;
  /** JSON lines, or one readable line per record. */
  pretty: boolean;
}

const envSchema = z.object({
  PVEFLEET_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  PVEFLEET_LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
});

/**
 * PVEFLEET_LOG_LEVEL (info) and PVEFLEET_LOG_FORMAT: JSON lines unless `pretty` (or `text`) is asked
 * for; without a format, a terminal gets the readable form and anything else (a pipe, a file, a
 * container's log driver) gets JSON.
 */
export function readLogSettings(env: NodeJS.ProcessEnv = process.env, isTty = process.stdout.isTTY): LogSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue.path.join('.')} ${issue.message}`);
  }
  const format = parsed.data.PVEFLEET_LOG_FORMAT;
  return { level: parsed.data.PVEFLEET_LOG_LEVEL, pretty: format === undefined ? isTty : format !== 'json' };
}
