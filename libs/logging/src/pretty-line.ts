import { MESSAGE_KEY } from './pino-options';

/**
 * Fields shown in the line's head, or not at all (a request line's message already says its method,
 * path, status and time), rather than as key=value.
 */
const HEAD = new Set(['time', 'level', 'context', MESSAGE_KEY, 'pid', 'process', 'hostname', 'err', 'stack', 'req', 'res', 'responseTime']);

/**
 * One JSON record as a readable line: `time LEVEL [context] message key=value…`, an error's stack
 * on the lines below. Dependency-free on purpose (pino-pretty is not installed in production).
 */
export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`; // not a record: pass it on untouched
  }
  const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
  const level = text(record.level ?? 'info')
    .toUpperCase()
    .padStart(5);
  const context = record.context === undefined ? '' : ` [${text(record.context)}]`;
  const fields = Object.entries(record)
    .filter(([key, value]) => !HEAD.has(key) && value !== undefined)
    .map(([key, value]) => ` ${key}=${text(value)}`)
    .join('');
  const stack = errorStack(record.err) ?? (typeof record.stack === 'string' ? record.stack : undefined);
  return `${text(record.time ?? '')} ${level}${context} ${text(record[MESSAGE_KEY] ?? '')}${fields}\n${stack ? `${stack}\n` : ''}`;
}

function errorStack(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const stack = (err as { stack?: unknown }).stack;
  return typeof stack === 'string' ? stack : undefined;
}
