import { createHash } from 'node:crypto';
import { CommandContext, CommandHandler, fail, out } from '../shell/command';
import { FsError } from '../vfs/node-fs';
import { basename, normalizePath } from '../vfs/paths';
import { parseArgs } from './options';
import { codePoints } from '../util/text';

const msg = (err: unknown): string => (err instanceof FsError ? err.message : String(err));

/** File programs over the node's virtual filesystem; nothing reaches the host's disk. */
export const fileCommands: Record<string, CommandHandler> = {
  cat: async (ctx) => {
    const files = ctx.argv.slice(1).filter((a) => a === '-' || !a.startsWith('-'));
    if (!files.length) files.push('-');
    let status = 0;
    for (const f of files) {
      if (f === '-') {
        out(ctx, await ctx.io.stdin.read());
        continue;
      }
      try {
        out(ctx, ctx.fs.readFile(f, ctx.cwd));
      } catch (err) {
        status = fail(ctx, `cat: ${f}: ${msg(err)}`);
      }
    }
    return status;
  },
  tee: async (ctx) => {
    const p = parseArgs(ctx.argv.slice(1));
    const append = p.flags.has('a') || p.flags.has('append');
    const data = await ctx.io.stdin.read();
    let status = 0;
    for (const f of p.operands) {
      if (f === '/dev/null') continue;
      try {
        ctx.fs.writeFile(f, data, { append }, ctx.cwd);
      } catch (err) {
        status = fail(ctx, `tee: ${f}: ${msg(err)}`);
      }
    }
    out(ctx, data);
    return status;
  },
  mkdir: (ctx) => {
    const p = parseArgs(ctx.argv.slice(1), 'm');
    let status = 0;
    for (const d of p.operands) {
      try {
        ctx.fs.mkdir(d, p.flags.has('p') || p.flags.has('parents'), ctx.cwd);
      } catch (err) {
        status = fail(ctx, `mkdir: cannot create directory '${d}': ${msg(err)}`);
      }
    }
    return p.operands.length ? status : fail(ctx, "mkdir: missing operand\nTry 'mkdir --help' for more information.");
  },
  rm: (ctx) => {
    const p = parseArgs(ctx.argv.slice(1));
    const force = p.flags.has('f') || p.flags.has('force');
    const recursive = p.flags.has('r') || p.flags.has('R') || p.flags.has('recursive');
    let status = 0;
    for (const f of p.operands) {
      const st = ctx.fs.stat(f, ctx.cwd);
      if (!st) {
        if (!force) status = fail(ctx, `rm: cannot remove '${f}': No such file or directory`);
        continue;
      }
      if (st.kind === 'dir' && !recursive) {
        status = fail(ctx, `rm: cannot remove '${f}': Is a directory`);
        continue;
      }
      ctx.fs.remove(f, recursive, ctx.cwd);
    }
    return status;
  },
  mv: (ctx) => copyOrMove(ctx, true),
  cp: (ctx) => copyOrMove(ctx, false),
  touch: (ctx) => {
    let status = 0;
    for (const f of parseArgs(ctx.argv.slice(1), 'dtr').operands) {
      try {
        ctx.fs.writeFile(f, '', { append: true }, ctx.cwd);
      } catch (err) {
        status = fail(ctx, `touch: cannot touch '${f}': ${msg(err)}`);
      }
    }
    return status;
  },
  chmod: (ctx) => existing(ctx, 'chmod', ctx.argv.slice(2)),
  chown: (ctx) => existing(ctx, 'chown', ctx.argv.slice(2)),
  ls,
  stat,
  readlink: (ctx) => resolveLink(ctx, 'readlink'),
  realpath: (ctx) => resolveLink(ctx, 'realpath'),
  sha256sum: (ctx) => digest(ctx, 'sha256'),
  md5sum: (ctx) => digest(ctx, 'md5'),
};

function existing(ctx: CommandContext, name: string, files: string[]): number {
  let status = 0;
  for (const f of files) if (!ctx.fs.exists(f, ctx.cwd)) status = fail(ctx, `${name}: cannot access '${f}': No such file or directory`);
  return status;
}

function copyOrMove(ctx: CommandContext, move: boolean): number {
  const name = move ? 'mv' : 'cp';
  const p = parseArgs(ctx.argv.slice(1), 't');
  const recursive = move || p.flags.has('r') || p.flags.has('R') || p.flags.has('a') || p.flags.has('recursive') || p.flags.has('archive');
  if (p.operands.length < 2) return fail(ctx, `${name}: missing file operand\nTry '${name} --help' for more information.`);
  const dest = p.operands[p.operands.length - 1];
  const sources = p.operands.slice(0, -1);
  const destIsDir = ctx.fs.isDir(dest, ctx.cwd);
  let status = 0;
  for (const src of sources) {
    const st = ctx.fs.stat(src, ctx.cwd);
    if (!st) {
      status = fail(ctx, `${name}: cannot stat '${src}': No such file or directory`);
      continue;
    }
    if (st.kind === 'dir' && !recursive) {
      status = fail(ctx, `cp: -r not specified; omitting directory '${src}'`);
      continue;
    }
    const target = destIsDir ? `${normalizePath(dest, ctx.cwd)}/${basename(src)}` : dest;
    try {
      copyTree(ctx, normalizePath(src, ctx.cwd), normalizePath(target, ctx.cwd));
      if (move) ctx.fs.remove(src, true, ctx.cwd);
    } catch (err) {
      status = fail(ctx, `${name}: cannot create regular file '${target}': ${msg(err)}`);
    }
  }
  return status;
}

function copyTree(ctx: CommandContext, src: string, dest: string): void {
  if (ctx.fs.isDir(src)) {
    ctx.fs.mkdir(dest, true);
    for (const child of ctx.fs.list(src)) copyTree(ctx, `${src}/${child}`, `${dest}/${child}`);
  } else ctx.fs.writeFile(dest, ctx.fs.readFile(src));
}

function ls(ctx: CommandContext): number {
  const p = parseArgs(ctx.argv.slice(1));
  const long = p.flags.has('l');
  const all = p.flags.has('a') || p.flags.has('A');
  const dirOnly = p.flags.has('d');
  const targets = p.operands.length ? p.operands : ['.'];
  let status = 0;
  const files: string[] = [];
  const dirs: string[] = [];
  for (const t of targets) {
    const st = ctx.fs.stat(t, ctx.cwd);
    if (!st) status = fail(ctx, `ls: cannot access '${t}': No such file or directory`, 2);
    else if (st.kind === 'dir' && !dirOnly) dirs.push(t);
    else files.push(t);
  }
  const row = (path: string, label: string): string => {
    if (!long) return label;
    const st = ctx.fs.stat(path, ctx.cwd);
    const kind = st?.kind === 'dir' ? 'd' : st?.kind === 'symlink' ? 'l' : '-';
    const mode = (st?.mode ?? 0o644).toString(8).padStart(3, '0');
    const rwx = codePoints(mode)
      .map((d) => ['---', '--x', '-w-', '-wx', 'r--', 'r-x', 'rw-', 'rwx'][Number(d)])
      .join('');
    const date = new Date(st?.mtime ?? 0).toUTCString().slice(8, 22);
    return `${kind}${rwx} 1 root root ${String(st?.size ?? 0).padStart(5)} ${date} ${label}`;
  };
  let text = files.map((f) => row(f, f) + '\n').join('');
  dirs.forEach((d, i) => {
    if (targets.length > 1) text += `${files.length || i ? '\n' : ''}${d}:\n`;
    const names = ctx.fs.list(d, ctx.cwd).filter((n) => all || !n.startsWith('.'));
    if (long) text += `total ${names.length * 4}\n`;
    text += names.map((n) => row(`${normalizePath(d, ctx.cwd)}/${n}`, n) + '\n').join('');
  });
  out(ctx, text);
  return status;
}

function stat(ctx: CommandContext): number {
  const p = parseArgs(ctx.argv.slice(1), 'c', ['format', 'printf']);
  const format = p.values.get('c')?.[0] ?? p.values.get('format')?.[0] ?? p.values.get('printf')?.[0];
  let status = 0;
  for (const f of p.operands) {
    const st = ctx.fs.stat(f, ctx.cwd);
    if (!st) {
      status = fail(ctx, `stat: cannot statx '${f}': No such file or directory`);
      continue;
    }
    if (!format) {
      out(ctx, `  File: ${f}\n  Size: ${st.size}\n`);
      continue;
    }
    const type =
      st.kind === 'dir' ? 'directory' : st.kind === 'symlink' ? 'symbolic link' : st.size ? 'regular file' : 'regular empty file';
    const secs = Math.floor(st.mtime / 1000);
    out(
      ctx,
      format.replace(/%([a-zA-Z%])/g, (m, c: string) => {
        const map: Record<string, string> = {
          s: String(st.size),
          n: f,
          N: `'${f}'`,
          a: st.mode.toString(8),
          U: 'root',
          G: 'root',
          u: '0',
          g: '0',
          F: type,
          Y: String(secs),
          X: String(secs),
          Z: String(secs),
          W: '0',
          y: new Date(st.mtime).toISOString().replace('T', ' ').replace('Z', '000000 +0000'),
          '%': '%',
        };
        return map[c] ?? m;
      }) + '\n',
    );
  }
  return status;
}

function resolveLink(ctx: CommandContext, name: string): number {
  const p = parseArgs(ctx.argv.slice(1));
  let status = 0;
  for (const f of p.operands) {
    if (name === 'readlink' && !p.flags.has('f') && !p.flags.has('e') && !p.flags.has('m')) {
      const abs = normalizePath(f, ctx.cwd);
      const resolved = ctx.fs.resolve(abs);
      if (resolved === abs) status = 1;
      else out(ctx, resolved + '\n');
      continue;
    }
    if (!ctx.fs.exists(f, ctx.cwd) && name === 'realpath') status = fail(ctx, `realpath: ${f}: No such file or directory`);
    else out(ctx, ctx.fs.resolve(f, ctx.cwd) + '\n');
  }
  return status;
}

async function digest(ctx: CommandContext, algo: string): Promise<number> {
  const files = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
  const inputs: [string, string][] = files.length ? [] : [['-', await ctx.io.stdin.read()]];
  let status = 0;
  for (const f of files) {
    try {
      inputs.push([f, ctx.fs.readFile(f, ctx.cwd)]);
    } catch (err) {
      status = fail(ctx, `${algo}sum: ${f}: ${msg(err)}`);
    }
  }
  for (const [name, data] of inputs) out(ctx, `${createHash(algo).update(data).digest('hex')}  ${name}\n`);
  return status;
}
