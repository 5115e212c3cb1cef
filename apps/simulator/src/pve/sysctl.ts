import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { fail, out } from '../shell/command';

const keyPath = (key: string): string => `/proc/sys/${key.replace(/\./g, '/')}`;

/**
 * procps `sysctl`: `KEY…` / `-n KEY` read /proc/sys, `-w KEY=VALUE` (or a bare `KEY=VALUE`) writes it,
 * `-p [FILE]` and `--system` apply `key = value` files the way systemd-sysctl does at boot.
 */
export const sysctlPrograms: Record<string, NodeProgram> = {
  sysctl: (node, ctx) => {
    const args = ctx.argv.slice(1);
    const flags = new Set(args.filter((a) => a.startsWith('-')));
    const rest = args.filter((a) => !a.startsWith('-'));
    const valueOnly = flags.has('-n') || flags.has('--values');
    const quiet = flags.has('-q') || flags.has('--quiet');
    if (flags.has('--system')) return applySystem(node, ctx, quiet);
    if (flags.has('-p') || flags.has('--load') || args.some((a) => a.startsWith('--load=') || /^-p./.test(a))) {
      const inline = args.find((a) => a.startsWith('--load=') || /^-p./.test(a));
      const files = inline ? [inline.replace(/^--load=|^-p/, '')] : rest.length ? rest : ['/etc/sysctl.conf'];
      let code = 0;
      for (const f of files) code = Math.max(code, applyFile(node, ctx, f, quiet));
      return code;
    }
    if (flags.has('-a') || flags.has('--all')) {
      out(
        ctx,
        allKeys(node)
          .map((k) => `${k} = ${read(node, k)}\n`)
          .join(''),
      );
      return 0;
    }
    if (!rest.length) return fail(ctx, '\nUsage:\n sysctl [options] [variable[=value] ...]\n', 1);
    let code = 0;
    for (const arg of rest) {
      const eq = arg.indexOf('=');
      if (eq >= 0 || flags.has('-w') || flags.has('--write')) {
        if (eq < 0) {
          code = fail(ctx, `sysctl: "${arg}" must be of the form name=value`, 255);
          continue;
        }
        const key = arg.slice(0, eq).trim();
        const value = arg.slice(eq + 1).trim();
        if (!write(node, key, value)) code = fail(ctx, `sysctl: cannot stat ${keyPath(key)}: No such file or directory`, 255);
        else if (!quiet) out(ctx, valueOnly ? `${value}\n` : `${key} = ${value}\n`);
        continue;
      }
      const value = read(node, arg);
      if (value === undefined) code = fail(ctx, `sysctl: cannot stat ${keyPath(arg)}: No such file or directory`, 255);
      else out(ctx, valueOnly ? `${value}\n` : `${arg} = ${value}\n`);
    }
    return code;
  },
};

function read(node: SimNode, key: string): string | undefined {
  return node.fs.tryRead(keyPath(key))?.replace(/\n$/, '');
}

function write(node: SimNode, key: string, value: string): boolean {
  if (!node.fs.isFile(keyPath(key))) return false;
  node.fs.writeFile(keyPath(key), `${value}\n`);
  return true;
}

function allKeys(node: SimNode): string[] {
  const walk = (dir: string): string[] =>
    node.fs.list(dir).flatMap((n) => (node.fs.isDir(`${dir}/${n}`) ? walk(`${dir}/${n}`) : [`${dir}/${n}`]));
  return walk('/proc/sys')
    .map((p) => p.slice('/proc/sys/'.length).replace(/\//g, '.'))
    .sort();
}

/** `key = value` lines; `-key = value` ignores a missing key, as sysctl.d(5) says. */
function applyFile(node: SimNode, ctx: CommandContext, file: string, quiet: boolean): number {
  const text = node.fs.tryRead(file);
  if (text === undefined) return fail(ctx, `sysctl: cannot open "${file}": No such file or directory`, 255);
  let code = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const optional = line.startsWith('-');
    const key = line.slice(optional ? 1 : 0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (write(node, key, value)) {
      if (!quiet) out(ctx, `${key} = ${value}\n`);
    } else if (!optional) code = fail(ctx, `sysctl: cannot stat ${keyPath(key)}: No such file or directory`, 255);
  }
  return code;
}

/** `sysctl --system`: every sysctl.d file by name (an /etc file hides a /usr/lib one of the same name), then /etc/sysctl.conf. */
function applySystem(node: SimNode, ctx: CommandContext, quiet: boolean): number {
  const byName = new Map<string, string>();
  for (const dir of ['/usr/lib/sysctl.d', '/run/sysctl.d', '/etc/sysctl.d'])
    if (node.fs.isDir(dir)) for (const n of node.fs.list(dir)) if (n.endsWith('.conf')) byName.set(n, `${dir}/${n}`);
  const files = [...byName.keys()].sort().map((n) => byName.get(n) as string);
  if (node.fs.isFile('/etc/sysctl.conf')) files.push('/etc/sysctl.conf');
  let code = 0;
  for (const f of files) {
    if (!quiet) out(ctx, `* Applying ${f} ...\n`);
    code = Math.max(code, applyFile(node, ctx, f, quiet));
  }
  return code;
}
