import type { FileSystem } from '../vfs/node-fs';
import type { ProcessIO } from './io';

/** What a simulated program receives: its argv, environment, I/O and a way to stop. */
export interface CommandContext {
  readonly argv: string[];
  readonly env: ReadonlyMap<string, string>;
  readonly io: ProcessIO;
  readonly cwd: string;
  readonly fs: FileSystem;
  readonly signal: AbortSignal;
  /** Runs a nested script (`sh -c`), with its own variables, on the same node. */
  runScript(src: string, io: ProcessIO, positional?: string[]): Promise<number>;
  /** Runs another program by argv (`timeout`, `env`, `nohup`), optionally with a narrower abort signal. */
  runArgv(argv: string[], io: ProcessIO, signal?: AbortSignal, env?: ReadonlyMap<string, string>): Promise<number>;
}

export type CommandHandler = (ctx: CommandContext) => number | Promise<number>;

/** Writes `text` to stderr and returns `status`: the usual failure path of a program. */
export function fail(ctx: CommandContext, text: string, status = 1): number {
  ctx.io.stderr.write(text.endsWith('\n') ? text : text + '\n');
  return status;
}

export function out(ctx: CommandContext, text: string): void {
  ctx.io.stdout.write(text);
}
