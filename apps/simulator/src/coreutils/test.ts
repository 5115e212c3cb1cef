import { CommandContext, CommandHandler, fail } from '../shell/command';

class TestError extends Error {}

/** `test` and `[`: the file, string and integer operators scripts use. */
export const testCommands: Record<string, CommandHandler> = {
  test: (ctx) => evaluate(ctx, ctx.argv.slice(1), 'test'),
  '[': (ctx) => {
    const args = ctx.argv.slice(1);
    if (args[args.length - 1] !== ']') return fail(ctx, "bash: [: missing `]'", 2);
    return evaluate(ctx, args.slice(0, -1), '[');
  },
};

function evaluate(ctx: CommandContext, args: string[], name: string): number {
  try {
    if (!args.length) return 1;
    const p = new TestParser(ctx, args);
    const result = p.or();
    if (p.pos < args.length) throw new TestError('too many arguments');
    return result ? 0 : 1;
  } catch (err) {
    if (err instanceof TestError) return fail(ctx, `bash: ${name}: ${err.message}`, 2);
    throw err;
  }
}

const UNARY = new Set(['-e', '-f', '-d', '-s', '-r', '-w', '-x', '-L', '-h', '-n', '-z', '-b', '-c', '-p', '-S', '-t']);
const BINARY = new Set(['=', '==', '!=', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '<', '>', '-nt', '-ot']);

class TestParser {
  pos = 0;

  constructor(
    private readonly ctx: CommandContext,
    private readonly args: string[],
  ) {}

  or(): boolean {
    let v = this.and();
    while (this.args[this.pos] === '-o') {
      this.pos++;
      v = this.and() || v;
    }
    return v;
  }

  private and(): boolean {
    let v = this.not();
    while (this.args[this.pos] === '-a') {
      this.pos++;
      v = this.not() && v;
    }
    return v;
  }

  private not(): boolean {
    if (this.args[this.pos] === '!' && this.pos + 1 < this.args.length) {
      this.pos++;
      return !this.not();
    }
    return this.primary();
  }

  private primary(): boolean {
    const a = this.args;
    const t = a[this.pos];
    if (t === '(') {
      this.pos++;
      const v = this.or();
      if (a[this.pos++] !== ')') throw new TestError("`)' expected");
      return v;
    }
    if (BINARY.has(a[this.pos + 1]) && this.pos + 2 < a.length) {
      const [l, op, r] = [a[this.pos], a[this.pos + 1], a[this.pos + 2]];
      this.pos += 3;
      return this.binary(l, op, r);
    }
    if (UNARY.has(t) && this.pos + 1 < a.length) {
      this.pos += 2;
      return this.unary(t, a[this.pos - 1]);
    }
    this.pos++;
    return t !== '';
  }

  private binary(l: string, op: string, r: string): boolean {
    const int = (s: string): number => {
      if (!/^\s*-?\d+\s*$/.test(s)) throw new TestError(`${s}: integer expression expected`);
      return Number(s);
    };
    switch (op) {
      case '=':
      case '==':
        return l === r;
      case '!=':
        return l !== r;
      case '<':
        return l < r;
      case '>':
        return l > r;
      case '-eq':
        return int(l) === int(r);
      case '-ne':
        return int(l) !== int(r);
      case '-lt':
        return int(l) < int(r);
      case '-le':
        return int(l) <= int(r);
      case '-gt':
        return int(l) > int(r);
      case '-ge':
        return int(l) >= int(r);
      default: {
        const ml = this.ctx.fs.stat(l, this.ctx.cwd)?.mtime ?? -1;
        const mr = this.ctx.fs.stat(r, this.ctx.cwd)?.mtime ?? -1;
        return op === '-nt' ? ml > mr : ml < mr;
      }
    }
  }

  private unary(op: string, v: string): boolean {
    if (op === '-n') return v !== '';
    if (op === '-z') return v === '';
    if (op === '-t') return false;
    const st = this.ctx.fs.stat(v, this.ctx.cwd);
    switch (op) {
      case '-e':
      case '-r':
      case '-w':
        return st !== undefined;
      case '-f':
        return st?.kind === 'file';
      case '-d':
        return st?.kind === 'dir';
      case '-s':
        return st !== undefined && st.size > 0;
      case '-x':
        return st !== undefined && (st.kind === 'dir' || (st.mode & 0o111) !== 0);
      case '-L':
      case '-h':
        return v === '/etc/pve/local' || v === '/etc/os-release';
      default:
        return false;
    }
  }
}
