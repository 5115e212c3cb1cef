import pino, { type DestinationStream } from 'pino';
import type { LogSettings } from './log-settings';
import { prettyLine } from './pretty-line';

/**
 * Where a process's records go: standard output, written synchronously so the last lines before an
 * exit are never lost; as JSON lines, or reformatted one record at a time when pretty.
 */
export function logDestination(
  settings: LogSettings,
  out: DestinationStream = pino.destination({ dest: 1, sync: true }),
): DestinationStream {
  if (!settings.pretty) return out;
  return {
    write: (record: string) => {
      out.write(prettyLine(record));
    },
  };
}
