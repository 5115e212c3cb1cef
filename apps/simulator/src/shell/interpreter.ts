import { AndOr, Command, List, Pipeline, Redirect, ShellSyntaxError, SimpleCommand } from './ast';
import { parseScript } from './parser';
import { expandFields, expandString, ExpandScope, heredocWord } from './expand';
import { Aborted, abortReason, BufferSink, ExitRequest, NULL_SINK, ProcessIO, Sink, stringStdin } from './io';
import { CommandContext, CommandHandler } from './command';
import { FileSystem, FsError } from '../vfs/node-fs';
import { runShellBuiltin, SHELL_BUILTINS } from './builtins';

/** What the interpreter needs from the node it runs on. */
export interface ShellHost {
  readonly fs: FileSystem;
  /** Finds a program by name; the host may wrap it with an injected fault. */
  resolve(name: string, argv: string[]): CommandHandler | undefined;
  /** Fires when the node goes down; background jobs (`&`) stop with it. */
  readonly backgroundSignal: AbortSignal;
}

const BIN_DIRS = new Set(['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);
const AST_CACHE = new Map<string, List>();
const AST_CACHE_MAX = 2000;

export function parseCached(src: string): List {
  let ast = AST_CACHE.get(src);
  if (!ast) {
    ast = parseScript(src);
    if (AST_CACHE.size >= AST_CACHE_MAX) AST_CACHE.delete(AST_CACHE.keys().next().value as string);
    AST_CACHE.set(src, ast);
  }
  return ast;
}

export interface ShellOptions {
  env: Map<string, string>;
  cwd: string;
  positional?: string[];
  scriptName?: string;
}

/**
 * Runs one script the way `bash -c` would, on simulated programs only.
 * Nothing here ever touches the host: every program is looked up in the node.
 */
export class Interpreter {
  readonly vars: Map<string, string>;
  readonly exported: Set<string>;
  cwd: string;
  lastStatus = 0;
  positional: string[];
  scriptName: string;
  errexit = false;
  pipefail = false;
  private conditionDepth = 0;

  constructor(
    readonly host: ShellHost,
    readonly signal: AbortSignal,
    options: ShellOptions,
  ) {
    this.vars = new Map(options.env);
    this.exported = new Set(options.env.keys());
    this.cwd = options.cwd;
    this.positional = options.positional ?? [];
    this.scriptName = options.scriptName ?? 'bash';
  }

  /** Parses and runs `src`; syntax errors are reported like bash (`bash: -c: line 1: …`, status 2). */
  async run(src: string, io: ProcessIO): Promise<number> {
    let ast: List;
    try {
      ast = parseCached(src);
    } catch (err) {
      if (!(err instanceof ShellSyntaxError)) throw err;
      io.stderr.write(`bash: -c: line 1: ${err.message}\n`);
      return 2;
    }
    try {
      return await this.list(ast, io);
    } catch (err) {
      if (err instanceof ExitRequest) return err.status;
      throw err;
    }
  }

  exportedEnv(): Map<string, string> {
    const env = new Map<string, string>();
    for (const name of this.exported) {
      const v = this.vars.get(name);
      if (v !== undefined) env.set(name, v);
    }
    return env;
  }

  private checkAbort(): void {
    if (this.signal.aborted) throw new Aborted(abortReason(this.signal));
  }

  private async list(list: List, io: ProcessIO): Promise<number> {
    let status = 0;
    for (const item of list.items) {
      this.checkAbort();
      if (item.background) {
        this.background(item.andOr, io);
        status = 0;
        continue;
      }
      status = await this.andOr(item.andOr, io);
    }
    return status;
  }

  private background(andOr: AndOr, io: ProcessIO): void {
    const child = this.fork(this.host.backgroundSignal);
    child.andOr(andOr, io).catch(() => undefined);
  }

  private async andOr(andOr: AndOr, io: ProcessIO): Promise<number> {
    const n = andOr.rest.length;
    let lastRan: Pipeline = andOr.first;
    let ranFinal = n === 0;
    let status: number;
    // Every pipeline but the final one is a condition, exempt from `set -e`.
    this.conditionDepth += n ? 1 : 0;
    try {
      status = await this.pipeline(andOr.first, io);
      for (let i = 0; i < n; i++) {
        const { op, pipeline } = andOr.rest[i];
        if ((op === '&&') !== (status === 0)) continue;
        const final = i === n - 1;
        if (final) this.conditionDepth--;
        try {
          status = await this.pipeline(pipeline, io);
        } finally {
          if (final) this.conditionDepth++;
        }
        lastRan = pipeline;
        ranFinal = final;
      }
    } finally {
      this.conditionDepth -= n ? 1 : 0;
    }
    this.lastStatus = status;
    if (this.errexit && status !== 0 && ranFinal && this.conditionDepth === 0 && !lastRan.negate) throw new ExitRequest(status);
    return status;
  }

  private async pipeline(p: Pipeline, io: ProcessIO): Promise<number> {
    let stdin = io.stdin;
    let status = 0;
    let failed = 0;
    if (p.negate) this.conditionDepth++;
    try {
      for (let i = 0; i < p.commands.length; i++) {
        const last = i === p.commands.length - 1;
        const pipe = last ? undefined : new BufferSink();
        const out = pipe ?? io.stdout;
        const err = pipe && p.pipeStderr[i] ? pipe : io.stderr;
        status = await this.command(p.commands[i], { stdin, stdout: out, stderr: err });
        if (status !== 0) failed = status;
        if (pipe) stdin = stringStdin(pipe.data);
      }
    } finally {
      if (p.negate) this.conditionDepth--;
    }
    if (this.pipefail && status === 0) status = failed;
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  private async command(cmd: Command, io: ProcessIO): Promise<number> {
    this.checkAbort();
    if (cmd.kind === 'simple') return this.simple(cmd, io);
    const redirected = await this.redirect(cmd.redirects, io);
    if (typeof redirected === 'number') return redirected;
    try {
      return await this.compound(cmd, redirected.io);
    } finally {
      redirected.finish();
    }
  }

  private async compound(cmd: Exclude<Command, SimpleCommand>, io: ProcessIO): Promise<number> {
    switch (cmd.kind) {
      case 'group':
        return this.list(cmd.body, io);
      case 'subshell': {
        const child = this.fork(this.signal);
        try {
          return await child.list(cmd.body, io);
        } catch (err) {
          if (err instanceof ExitRequest) return err.status;
          throw err;
        }
      }
      case 'if': {
        for (const clause of cmd.clauses) {
          if ((await this.condition(clause.cond, io)) === 0) return this.list(clause.body, io);
        }
        return cmd.elseBody ? this.list(cmd.elseBody, io) : 0;
      }
      case 'for': {
        const items = cmd.items ? (await Promise.all(cmd.items.map((w) => expandFields(w, this.scope(io))))).flat() : this.positional;
        let status = 0;
        for (const item of items) {
          this.vars.set(cmd.name, item);
          status = await this.list(cmd.body, io);
        }
        return status;
      }
      case 'while': {
        let status = 0;
        for (let guard = 0; guard < 100_000; guard++) {
          const c = await this.condition(cmd.cond, io);
          if ((c === 0) === cmd.until) break;
          status = await this.list(cmd.body, io);
          // Yield so a tight loop cannot starve the SSH server or ignore its abort.
          if (guard % 64 === 63) await new Promise((r) => setImmediate(r));
        }
        return status;
      }
    }
  }

  private async condition(list: List, io: ProcessIO): Promise<number> {
    this.conditionDepth++;
    try {
      return await this.list(list, io);
    } finally {
      this.conditionDepth--;
    }
  }

  private async simple(cmd: SimpleCommand, io: ProcessIO): Promise<number> {
    const scope = this.scope(io);
    this.lastSubstStatus = undefined;
    const argv: string[] = [];
    for (const w of cmd.words) argv.push(...(await expandFields(w, scope)));
    const assigns: [string, string][] = [];
    for (const a of cmd.assigns) assigns.push([a.name, await expandString(a.value, scope)]);

    const redirected = await this.redirect(cmd.redirects, io);
    if (typeof redirected === 'number') return redirected;
    try {
      if (argv.length === 0) {
        for (const [k, v] of assigns) this.vars.set(k, v);
        // The expansions awaited above set it (a command substitution's status); TypeScript keeps the reset's narrowing.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- see above
        return this.lastSubstStatus ?? 0;
      }
      const env = this.exportedEnv();
      for (const [k, v] of assigns) env.set(k, v);
      return await this.invoke(argv, env, redirected.io, this.signal);
    } finally {
      redirected.finish();
    }
  }

  private lastSubstStatus: number | undefined;

  /** Runs argv: shell builtins first, then the node's programs; unknown names exit 127. */
  async invoke(argv: string[], env: Map<string, string>, io: ProcessIO, signal: AbortSignal): Promise<number> {
    const name = argv[0];
    if (SHELL_BUILTINS.has(name)) return runShellBuiltin(this, argv, io);
    let program = name;
    if (name.includes('/')) {
      const abs = name.startsWith('/') ? name : `${this.cwd}/${name}`;
      const dir = abs.slice(0, abs.lastIndexOf('/')) || '/';
      program = abs.slice(abs.lastIndexOf('/') + 1);
      if (!BIN_DIRS.has(dir)) {
        io.stderr.write(
          this.host.fs.isDir(name, this.cwd) ? `bash: ${name}: Is a directory\n` : `bash: ${name}: No such file or directory\n`,
        );
        return this.host.fs.exists(name, this.cwd) ? 126 : 127;
      }
    }
    const handler = this.host.resolve(program, argv);
    if (!handler) {
      io.stderr.write(name.includes('/') ? `bash: ${name}: No such file or directory\n` : `bash: ${name}: command not found\n`);
      return 127;
    }
    const ctx: CommandContext = {
      argv: [program, ...argv.slice(1)],
      env,
      io,
      cwd: this.cwd,
      fs: this.host.fs,
      signal,
      runScript: (src, childIo, positional) => this.child(env, signal, positional).run(src, childIo),
      runArgv: (childArgv, childIo, childSignal, childEnv) =>
        this.invoke(childArgv, new Map(childEnv ?? env), childIo, childSignal ?? signal),
    };
    const status = await handler(ctx);
    if (signal !== this.signal && signal.aborted) throw new Aborted(abortReason(signal));
    return status & 0xff;
  }

  /** A new shell process (`sh -c`): only exported variables carry over. */
  private child(env: Map<string, string>, signal: AbortSignal, positional?: string[]): Interpreter {
    return new Interpreter(this.host, signal, { env, cwd: this.cwd, positional: positional?.slice(1), scriptName: positional?.[0] });
  }

  /** A subshell `( … )` or `$( … )`: a copy of every variable. */
  private fork(signal: AbortSignal): Interpreter {
    const child = new Interpreter(this.host, signal, {
      env: new Map(),
      cwd: this.cwd,
      positional: this.positional,
      scriptName: this.scriptName,
    });
    for (const [k, v] of this.vars) child.vars.set(k, v);
    for (const k of this.exported) child.exported.add(k);
    child.errexit = this.errexit;
    child.pipefail = this.pipefail;
    return child;
  }

  scope(io: ProcessIO): ExpandScope {
    return {
      fs: this.host.fs,
      cwd: this.cwd,
      param: (name) => this.param(name),
      setVar: (name, value) => this.vars.set(name, value),
      positional: () => this.positional,
      commandSubstitution: async (src) => {
        const out = new BufferSink();
        const child = this.fork(this.signal);
        child.errexit = false;
        const status = await child.run(src, { stdin: io.stdin, stdout: out, stderr: io.stderr });
        this.lastSubstStatus = status;
        this.lastStatus = status;
        return out.data.replace(/\n+$/, '');
      },
    };
  }

  private param(name: string): string | undefined {
    if (name === '?') return String(this.lastStatus);
    if (name === '$') return this.vars.get('__SIM_PID') ?? '4242';
    if (name === '!') return '4243';
    if (name === '#') return String(this.positional.length);
    if (name === '0') return this.scriptName;
    if (/^[1-9][0-9]*$/.test(name)) return this.positional[Number(name) - 1];
    return this.vars.get(name);
  }

  /** Applies redirections in order; returns the new I/O and a finisher that writes files, or an exit status. */
  private async redirect(redirects: Redirect[], io: ProcessIO): Promise<number | { io: ProcessIO; finish: () => void }> {
    if (!redirects.length) return { io, finish: () => undefined };
    const fds: Sink[] = [io.stdout, io.stderr];
    let stdin = io.stdin;
    const finishers: (() => void)[] = [];
    const scope = this.scope(io);
    for (const r of redirects) {
      if (r.heredoc) {
        stdin = stringStdin(r.heredoc.expand ? await expandString(heredocWord(r.heredoc.body), scope) : r.heredoc.body);
        continue;
      }
      const target = await expandString(r.target, scope);
      if (r.op === '<<<') {
        stdin = stringStdin(target + '\n');
        continue;
      }
      if (r.op === '>&' || r.op === '<&') {
        const from = Number(target);
        if (target === '-') fds[r.fd] = NULL_SINK;
        else if ((from === 1 || from === 2) && (r.fd === 1 || r.fd === 2)) fds[r.fd - 1] = fds[from - 1];
        else if (r.fd === 1 || r.fd === 2) {
          // `>&file` is bash shorthand for `&>file`.
          const sink = this.openFile(target, false, io, finishers);
          if (typeof sink === 'number') return sink;
          fds[0] = fds[1] = sink;
        }
        continue;
      }
      if (r.op === '<') {
        if (target === '/dev/null') stdin = stringStdin('');
        else {
          try {
            stdin = stringStdin(this.host.fs.readFile(target, this.cwd));
          } catch (err) {
            io.stderr.write(`bash: ${target}: ${(err as Error).message}\n`);
            return 1;
          }
        }
        continue;
      }
      const append = r.op === '>>' || r.op === '&>>';
      const sink = this.openFile(target, append, { ...io, stdout: fds[0], stderr: fds[1] }, finishers);
      if (typeof sink === 'number') return sink;
      if (r.op === '&>' || r.op === '&>>') fds[0] = fds[1] = sink;
      else if (r.fd === 1 || r.fd === 2) fds[r.fd - 1] = sink;
    }
    return {
      io: { stdin, stdout: fds[0], stderr: fds[1] },
      finish: () => {
        for (const f of finishers) f();
      },
    };
  }

  private openFile(target: string, append: boolean, io: ProcessIO, finishers: (() => void)[]): Sink | number {
    if (target === '/dev/null') return NULL_SINK;
    if (target === '/dev/stdout') return io.stdout;
    if (target === '/dev/stderr') return io.stderr;
    try {
      this.host.fs.writeFile(target, '', { append: true }, this.cwd);
      if (!append) this.host.fs.writeFile(target, '', {}, this.cwd);
    } catch (err) {
      io.stderr.write(`bash: ${target}: ${err instanceof FsError ? err.message : String(err)}\n`);
      return 1;
    }
    const buffer = new BufferSink();
    finishers.push(() => {
      if (buffer.data) this.host.fs.writeFile(target, buffer.data, { append: true }, this.cwd);
    });
    return buffer;
  }
}
