import { coreutils } from '../coreutils';
import { Interpreter, ShellHost } from '../shell/interpreter';
import { BufferSink, stringStdin } from '../shell/io';
import type { CommandHandler } from '../shell/command';
import { NodeFs } from '../vfs/node-fs';
import { CowStore, SeedBuilder } from '../vfs/store';

export interface ShellResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** A bare node (coreutils plus extra programs) for testing the shell in isolation. */
export function makeShell(extra: Record<string, CommandHandler> = {}, files: Record<string, string> = {}) {
  const seed = new SeedBuilder<unknown>(Date.UTC(2026, 0, 1)).dir('/root').dir('/tmp').dir('/etc/pve/nodes/pve1');
  for (const [path, content] of Object.entries(files)) seed.file(path, content);
  const fs = new NodeFs<unknown>({}, new CowStore(seed.entries), new CowStore(new Map(seed.entries)), () => Date.now(), 'pve1');
  const programs = new Map([...coreutils, ...Object.entries(extra)]);
  const host: ShellHost = { fs, resolve: (name) => programs.get(name), backgroundSignal: new AbortController().signal };
  const run = async (src: string, stdin = '', signal = new AbortController().signal): Promise<ShellResult> => {
    const stdout = new BufferSink();
    const stderr = new BufferSink();
    const sh = new Interpreter(host, signal, {
      env: new Map([
        ['HOME', '/root'],
        ['PATH', '/usr/bin:/bin'],
      ]),
      cwd: '/root',
    });
    const code = await sh.run(src, { stdin: stringStdin(stdin), stdout, stderr });
    return { stdout: stdout.data, stderr: stderr.data, code };
  };
  return { fs, run };
}
