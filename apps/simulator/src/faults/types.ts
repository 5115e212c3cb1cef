/** What an injected command fault does instead of (or on top of) the simulated program. */
export type CommandFaultAction =
  /** Do not run; print `stdout`/`stderr` and exit with `exitCode`. */
  | { kind: 'fail'; exitCode: number; stderr?: string; stdout?: string }
  /** Never finish until the channel is closed or signalled. */
  | { kind: 'hang' }
  /** Run, then deliver the output one line every `lineDelayMs`. */
  | { kind: 'slow'; lineDelayMs: number }
  /** Run, send about half of the output, then drop the TCP connection without an exit status. */
  | { kind: 'drop' };

export interface CommandFaultSpec {
  /** Matches the command line of one simple command (argv joined by spaces): a substring, or a RegExp / `{ regex }`. */
  match: string | RegExp | { regex: string; flags?: string };
  action: CommandFaultAction;
  /** Apply this many times, then clear itself; default: until cleared. */
  times?: number;
}

export interface CommandFault {
  id: string;
  match: RegExp;
  action: CommandFaultAction;
  remaining?: number;
  hits: number;
}

export const REBOOT_BEHAVIOURS = ['normal', 'refuse', 'noop', 'hang'] as const;
export type RebootBehaviour = (typeof REBOOT_BEHAVIOURS)[number];

/** Every fault a node can carry; absent fields mean "behave normally". */
export interface NodeFaultState {
  commands: CommandFault[];
  /** `refuse`: TCP connections are refused; `reset`: accepted and reset before the SSH banner. */
  connections?: 'refuse' | 'reset';
  /** Reject every authentication attempt. */
  rejectAuth?: boolean;
  clockUnsynced?: boolean;
  reboot: RebootBehaviour;
  aptLock?: { process: string; pid: number };
  acmeFailure?: string;
  pve8to9: { warnings: string[]; failures: string[] };
}

export function toRegExp(match: CommandFaultSpec['match']): RegExp {
  if (match instanceof RegExp) return match;
  if (typeof match === 'string') return new RegExp(match.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(match.regex, match.flags);
}
