import { classifyDbFailure } from '@pvefleet/db';
import { ClassifiedError, errorClassOf, type ErrorClass } from '@pvefleet/errors';
import { SpecError } from '@pvefleet/jobs';

/**
 * A task ends with this error text as its exitstatus, as Proxmox's `TASK ERROR: <msg>`, and with its
 * class as `error_class` ('permanent' unless the failure says otherwise).
 */
export class TaskFailure extends ClassifiedError {
  override readonly name: string = 'TaskFailure';

  constructor(message: string, errorClass: ErrorClass = 'permanent', options?: { cause?: unknown }) {
    super(errorClass, message, options);
  }
}

/**
 * A command that ended without an exit status: its connection dropped or it was killed by a signal.
 * During a reboot step that is the node going down; anywhere else the command may be tried again.
 */
export class CommandCutOff extends TaskFailure {
  override readonly name = 'CommandCutOff';

  constructor(message: string) {
    super(message, 'retryable');
  }
}

/** Multi-line commands (heredocs) are named by their first line in error texts. */
export function commandLabel(command: string): string {
  const first = command.split('\n', 1)[0];
  return first.length < command.length ? `${first} …` : first;
}

/**
 * The class a failed task is stored with: the one its error carries (SSH errors, TaskFailure, bad
 * parameters), 'retryable' for Postgres being away, 'permanent' for anything else (a bug).
 */
export function failureClass(err: unknown): ErrorClass {
  return errorClassOf(err, classifyDbFailure(err) === 'unavailable' ? 'retryable' : 'permanent');
}

/** The exitstatus for a failure: one line, as Proxmox writes it (newlines become spaces). */
export function describeFailure(err: unknown): string {
  let text: string;
  if (err instanceof SpecError) text = `invalid parameters: ${err.message}`;
  else if (err instanceof ClassifiedError || (err instanceof Error && 'errorClass' in err)) text = err.message;
  else text = `internal error: ${err instanceof Error ? err.message : String(err)}`;
  return text.replace(/\s*\n\s*/g, ' ').slice(0, 4_000) || 'unknown error';
}
