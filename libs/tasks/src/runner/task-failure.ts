import { SpecError } from '@pvefleet/jobs';
import { SshError } from '@pvefleet/ssh';

/** A task ends with this error text as its exitstatus, as Proxmox's `TASK ERROR: <msg>`. */
export class TaskFailure extends Error {
  override readonly name = 'TaskFailure';
}

/** Multi-line commands (heredocs) are named by their first line in error texts. */
export function commandLabel(command: string): string {
  const first = command.split('\n', 1)[0];
  return first.length < command.length ? `${first} …` : first;
}

/** The exitstatus for a failure: one line, as Proxmox writes it (newlines become spaces). */
export function describeFailure(err: unknown): string {
  let text: string;
  if (err instanceof TaskFailure || err instanceof SshError) text = err.message;
  else if (err instanceof SpecError) text = `invalid parameters: ${err.message}`;
  else text = `internal error: ${(err as Error)?.message ?? String(err)}`;
  return text.replace(/\s*\n\s*/g, ' ').slice(0, 4_000) || 'unknown error';
}
