import type { Interpreter } from './interpreter';
import { ExitRequest, ProcessIO } from './io';

/**
 * Builtins that change the shell itself, so they cannot be programs:
 * cd, export, set, exit, eval, exec, source, read, command, type.
 */
export const SHELL_BUILTINS = new Set([
  'cd',
  'export',
  'unset',
  'set',
  'exit',
  'eval',
  'exec',
  'source',
  '.',
  'shift',
  'read',
  'local',
  'readonly',
  'return',
  'command',
  'type',
  'which',
  'hash',
]);

const SBIN = new Set([
  'zpool',
  'zfs',
  'reboot',
  'shutdown',
  'poweroff',
  'sshd',
  'pvesm',
  'qm',
  'pct',
  'pvecm',
  'pveceph',
  'ha-manager',
  'proxmox-boot-tool',
  'chronyd',
]);

export function programPath(name: string): string {
  return SBIN.has(name) ? `/usr/sbin/${name}` : `/usr/bin/${name}`;
}

export async function runShellBuiltin(sh: Interpreter, argv: string[], io: ProcessIO): Promise<number> {
  const [name, ...args] = argv;
  switch (name) {
    case 'cd': {
      const target = args.at(0) ?? sh.vars.get('HOME') ?? '/root';
      if (!sh.host.fs.isDir(target, sh.cwd)) {
        io.stderr.write(`bash: cd: ${target}: ${sh.host.fs.exists(target, sh.cwd) ? 'Not a directory' : 'No such file or directory'}\n`);
        return 1;
      }
      sh.cwd = sh.host.fs.resolve(target, sh.cwd);
      sh.vars.set('PWD', sh.cwd);
      return 0;
    }
    case 'export':
    case 'local':
    case 'readonly':
      for (const a of args.filter((x) => !x.startsWith('-'))) {
        const eq = a.indexOf('=');
        const key = eq < 0 ? a : a.slice(0, eq);
        if (eq >= 0) sh.vars.set(key, a.slice(eq + 1));
        if (name === 'export') sh.exported.add(key);
      }
      return 0;
    case 'unset':
      for (const a of args.filter((x) => !x.startsWith('-'))) {
        sh.vars.delete(a);
        sh.exported.delete(a);
      }
      return 0;
    case 'set':
      return setOptions(sh, args);
    case 'exit':
    case 'return': {
      const code = args.at(0);
      throw new ExitRequest(code !== undefined ? Number(code) & 0xff : sh.lastStatus);
    }
    case 'eval':
      return sh.run(args.join(' '), io);
    case 'source':
    case '.': {
      if (!args[0]) return 0;
      try {
        return await sh.run(sh.host.fs.readFile(args[0], sh.cwd), io);
      } catch (err) {
        io.stderr.write(`bash: ${args[0]}: ${(err as Error).message}\n`);
        return 1;
      }
    }
    case 'exec':
      return args.length ? sh.invoke(args, sh.exportedEnv(), io, sh.signal) : 0;
    case 'shift':
      sh.positional = sh.positional.slice(Number(args[0] ?? 1));
      return 0;
    case 'read':
      return read(sh, args, io);
    case 'command':
    case 'type':
    case 'which':
    case 'hash':
      return lookup(sh, name, args, io);
    default:
      return 0;
  }
}

function setOptions(sh: Interpreter, args: string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const on = a.startsWith('-');
    if (a === '-o' || a === '+o') {
      const opt = args[++i];
      if (opt === 'errexit') sh.errexit = on;
      if (opt === 'pipefail') sh.pipefail = on;
      continue;
    }
    if (a === '--') {
      sh.positional = args.slice(i + 1);
      break;
    }
    if (/^[-+][a-z]+$/.test(a) && a.includes('e')) sh.errexit = on;
  }
  return 0;
}

async function read(sh: Interpreter, args: string[], io: ProcessIO): Promise<number> {
  const names = args.filter((a) => !a.startsWith('-'));
  const text = await io.stdin.read();
  if (!text) return 1;
  const line = text.split('\n')[0];
  const fields = line.trim().split(/[ \t]+/);
  const vars = names.length ? names : ['REPLY'];
  vars.forEach((v, i) => sh.vars.set(v, i === vars.length - 1 ? fields.slice(i).join(' ') : (fields[i] ?? '')));
  return 0;
}

/** `command -v X`, `type X`, `which X`: found only if the node simulates X. */
async function lookup(sh: Interpreter, name: string, args: string[], io: ProcessIO): Promise<number> {
  if (name === 'hash') return 0;
  const flags = args.filter((a) => a.startsWith('-'));
  const names = args.filter((a) => !a.startsWith('-'));
  if (name === 'command' && !flags.includes('-v') && !flags.includes('-V')) {
    return names.length ? sh.invoke(names, sh.exportedEnv(), io, sh.signal) : 0;
  }
  let status = 0;
  for (const n of names) {
    const builtin = SHELL_BUILTINS.has(n) || n === 'echo' || n === 'printf' || n === 'test' || n === 'true' || n === 'false';
    const found = builtin || sh.host.resolve(n, [n]) !== undefined;
    if (!found) {
      status = 1;
      if (name === 'type') io.stderr.write(`bash: type: ${n}: not found\n`);
      continue;
    }
    if (name === 'type') io.stdout.write(builtin ? `${n} is a shell builtin\n` : `${n} is ${programPath(n)}\n`);
    else if (name === 'which') io.stdout.write(builtin && SHELL_BUILTINS.has(n) ? '' : `${programPath(n)}\n`);
    else io.stdout.write(builtin ? `${n}\n` : `${programPath(n)}\n`);
  }
  return status;
}
