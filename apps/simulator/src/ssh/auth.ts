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
      const password = this.config.password;
      if (password === null) return reject();
      ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
        const answer = answers.at(0);
        if (answer !== undefined && safeEqual(answer, password)) ctx.accept();
        else ctx.reject(this.methods);
      });
      return undefined;
    }
    if (ctx.method === 'publickey') {
      const key = this.keys.find((k) => k.type === ctx.key.algo && timingSafeEqual(k.getPublicSSH(), ctx.key.data));
      if (!key) return reject();
      // Without a signature the client only asks whether the key would be accepted.
      if (!ctx.signature || !ctx.blob) return (ctx.accept(), undefined);
      if (signatureValid(key, ctx.blob, ctx.signature, ctx.hashAlgo)) return (ctx.accept(), true);
      return reject();
    }
    return reject();
  }
}

/** ssh2's verify returns an Error (truthy) for a malformed signature, though @types/ssh2 says boolean: only `true` is valid. */
function signatureValid(key: ParsedKey, blob: Buffer, signature: Buffer, hashAlgo: string | undefined): boolean {
  const result: unknown = key.verify(blob, signature, hashAlgo);
  return result === true;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
