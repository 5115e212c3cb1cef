import { timingSafeEqual } from 'node:crypto';
import { utils } from 'ssh2';
import type { AuthContext } from 'ssh2';

export interface AuthConfig {
  user: string;
  password: string | null;
  authorizedKeys: string[];
}

type ParsedKey = Exclude<ReturnType<typeof utils.parseKey>, Error | unknown[]>;

/** Checks password and public-key logins against the configured user; a wrong password is a failure. */
export class Authenticator {
  private readonly keys: ParsedKey[];

  constructor(private readonly config: AuthConfig) {
    this.keys = config.authorizedKeys
      .map((line) => utils.parseKey(line.trim()))
      .filter((k): k is ParsedKey => !(k instanceof Error) && !Array.isArray(k));
  }

  get methods(): ('password' | 'publickey' | 'keyboard-interactive')[] {
    const m: ('password' | 'publickey' | 'keyboard-interactive')[] = [];
    if (this.keys.length) m.push('publickey');
    if (this.config.password !== null) m.push('password', 'keyboard-interactive');
    return m;
  }

  /** Returns true when the login succeeded. */
  handle(ctx: AuthContext, rejectAll: boolean): boolean | undefined {
    const reject = (): false => {
      ctx.reject(this.methods);
      return false;
    };
    if (ctx.method === 'none') {
      ctx.reject(this.methods);
      return undefined;
    }
    if (rejectAll || ctx.username !== this.config.user) return reject();
    if (ctx.method === 'password') {
      if (this.config.password !== null && safeEqual(ctx.password, this.config.password)) return (ctx.accept(), true);
      return reject();
    }
    if (ctx.method === 'keyboard-interactive') {
      if (this.config.password === null) return reject();
      ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
        if (answers[0] !== undefined && safeEqual(answers[0], this.config.password as string)) ctx.accept();
        else ctx.reject(this.methods);
      });
      return undefined;
    }
    if (ctx.method === 'publickey') {
      const key = this.keys.find((k) => k.type === ctx.key.algo && timingSafeEqual(k.getPublicSSH(), ctx.key.data));
      if (!key) return reject();
      // Without a signature the client only asks whether the key would be accepted.
      if (!ctx.signature || !ctx.blob) return (ctx.accept(), undefined);
      if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true) return (ctx.accept(), true);
      return reject();
    }
    return reject();
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
