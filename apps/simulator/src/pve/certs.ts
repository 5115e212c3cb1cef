import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { out, fail } from '../shell/command';
import { acmeCert, certFingerprint, DAY, decodeCert, encodeCert, FAKE_KEY } from '../model/certificate';
import { canonicalJson } from '../util/text';
import { opensslDate } from '../util/time';
import { sleep } from '../shell/io';
import { orderConf, setupChallenge, teardownChallenge } from './pvenode-acme';
import { die, isJsonFormat, paramError } from './util';

const LOCAL = '/etc/pve/local';

/** `openssl x509` (enddate, startdate, dates, subject, issuer, fingerprint, checkend). */
export const opensslPrograms: Record<string, NodeProgram> = {
  openssl: async (node, ctx) => {
    const args = ctx.argv.slice(1);
    if (args[0] !== 'x509') return fail(ctx, `Invalid command '${args[0] ?? ''}'; type "help" for a list.`, 1);
    const inIdx = args.indexOf('-in');
    const file = inIdx >= 0 ? args[inIdx + 1] : undefined;
    let pem: string;
    if (file) {
      try {
        pem = ctx.fs.readFile(file, ctx.cwd);
      } catch {
        return fail(
          ctx,
          `Could not open file or uri for loading certificate from ${file}\n40F7A1B2C37F0000:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered scheme:../crypto/store/store_register.c:237:scheme=file\n40F7A1B2C37F0000:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:267:calling stat(${file})\nUnable to load certificate`,
          1,
        );
      }
    } else pem = await ctx.io.stdin.read();
    const info = decodeCert(pem);
    if (!info) return fail(ctx, 'Could not read certificate from <stdin>\nUnable to load certificate', 1);
    const lines: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-enddate') lines.push(`notAfter=${opensslDate(info.notAfter * 1000)}`);
      else if (a === '-startdate') lines.push(`notBefore=${opensslDate(info.notBefore * 1000)}`);
      else if (a === '-dates')
        lines.push(`notBefore=${opensslDate(info.notBefore * 1000)}`, `notAfter=${opensslDate(info.notAfter * 1000)}`);
      else if (a === '-subject') lines.push(`subject=${oneline(info.subject)}`);
      else if (a === '-issuer') lines.push(`issuer=${oneline(info.issuer)}`);
      else if (a === '-serial') lines.push(`serial=${info.serial}`);
      else if (a === '-fingerprint') lines.push(`${args.includes('-sha1') ? 'sha1' : 'sha256'} Fingerprint=${certFingerprint(pem)}`);
      else if (a === '-checkend') {
        const seconds = Number(args[++i]);
        out(ctx, lines.map((l) => l + '\n').join(''));
        const expires = info.notAfter * 1000 < node.sim.now() + seconds * 1000;
        out(ctx, expires ? 'Certificate will expire\n' : 'Certificate will not expire\n');
        return expires ? 1 : 0;
      }
    }
    if (!args.includes('-noout')) lines.push(pem.trimEnd());
    out(ctx, lines.map((l) => l + '\n').join(''));
    return 0;
  },
};

/** OpenSSL 3 prints `CN = x, O = y`; the notes' `/CN=x` form is PVE's. */
const oneline = (dn: string): string =>
  dn
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace('=', ' = '))
    .join(', ');

export function certInfo(node: SimNode, ctx: CommandContext, opts: Map<string, string>): number {
  const files = [
    ['pve-root-ca.pem', '/etc/pve/pve-root-ca.pem'],
    ['pve-ssl.pem', `${LOCAL}/pve-ssl.pem`],
    ['pveproxy-ssl.pem', `${LOCAL}/pveproxy-ssl.pem`],
  ];
  const result = [];
  for (const [filename, path] of files) {
    const pem = node.fs.tryRead(path);
    const info = pem ? decodeCert(pem) : undefined;
    if (!pem || !info) continue;
    result.push({
      filename,
      fingerprint: certFingerprint(pem),
      subject: info.subject,
      issuer: info.issuer,
      notbefore: info.notBefore,
      notafter: info.notAfter,
      'public-key-type': info.keyType,
      'public-key-bits': info.bits,
      san: info.san.map((s) => s.replace(/^DNS:/, '')),
      pem,
    });
  }
  if (isJsonFormat(opts)) {
    out(ctx, (opts.get('output-format') === 'json-pretty' ? JSON.stringify(result, null, 4) : canonicalJson(result)) + '\n');
    return 0;
  }
  for (const c of result) {
    const rows: [string, string][] = [
      ['filename', c.filename],
      ['fingerprint', c.fingerprint],
      ['subject', c.subject],
      ['issuer', c.issuer],
      ['notbefore', new Date(c.notbefore * 1000).toISOString().replace('T', ' ').slice(0, 19)],
      ['notafter', new Date(c.notafter * 1000).toISOString().replace('T', ' ').slice(0, 19)],
      ['public-key-type', c['public-key-type']],
      ['public-key-bits', String(c['public-key-bits'])],
      ['san', c.san.join('\n')],
    ];
    const w = Math.max(...rows.map(([, v]) => Math.max(...v.split('\n').map((l) => l.length))));
    const border = `┌─────────────────┬${'─'.repeat(w + 2)}┐`;
    out(
      ctx,
      [
        border,
        ...rows.map(([k, v]) => `│ ${k.padEnd(15)} │ ${v.split('\n')[0].padEnd(w)} │`),
        `└─────────────────┴${'─'.repeat(w + 2)}┘`,
      ].join('\n') + '\n',
    );
  }
  return 0;
}

/** `pvenode acme account list|register` and `pvenode acme cert order|renew` with Proxmox's 30-day rule (plugins: pvenode-acme.ts). */
export async function acme(node: SimNode, ctx: CommandContext, args: string[], opts: Map<string, string>): Promise<number> {
  const [what, verb] = args;
  if (what === 'account' && verb === 'list') {
    const names = node.fs.isDir('/etc/pve/priv/acme') ? node.fs.list('/etc/pve/priv/acme').filter((n) => n !== 'plugins.cfg') : [];
    out(ctx, names.map((n) => n + '\n').join(''));
    return 0;
  }
  if (what === 'account' && verb === 'register') {
    const name = args[2] ?? 'default';
    node.fs.writeFile(
      `/etc/pve/priv/acme/${name}`,
      `{"account":{"status":"valid","contact":["mailto:${args[3] ?? 'admin@example.com'}"]}}\n`,
    );
    out(
      ctx,
      `Directory endpoints:\n0) Let's Encrypt V2 (https://acme-v02.api.letsencrypt.org/directory)\n1) Let's Encrypt V2 Staging (https://acme-staging-v02.api.letsencrypt.org/directory)\n2) Custom\nEnter selection: \nAttempting to fetch Terms of Service from 'https://acme-v02.api.letsencrypt.org/directory'..\nTerms of Service: https://letsencrypt.org/documents/LE-SA-v1.5-February-24-2025.pdf\nDo you agree to the above terms? [y|N]: \nRegistering new ACME account..\nRegistration successful, account URL: 'https://acme-v02.api.letsencrypt.org/acme/acct/1'\nTask OK\n`,
    );
    return 0;
  }
  if (what === 'cert' && (verb === 'order' || verb === 'renew')) return orderCertificate(node, ctx, verb, opts.get('force') === '1');
  return die(ctx, `unknown command 'pvenode acme ${args.join(' ')}'`);
}

async function orderCertificate(node: SimNode, ctx: CommandContext, verb: 'order' | 'renew', force: boolean): Promise<number> {
  const path = `${LOCAL}/pveproxy-ssl.pem`;
  const existing = node.fs.tryRead(path);
  const current = existing ? decodeCert(existing) : undefined;
  if (verb === 'order' && existing && !force) return die(ctx, "Custom certificate exists but 'force' is not set.");
  if (verb === 'renew') {
    if (!current) return die(ctx, 'No current (custom) certificate found, please order a new certificate!');
    if (current.notAfter * 1000 > node.sim.now() + 30 * DAY * 1000 && !force) {
      return paramError(
        ctx,
        { force: "Certificate does not expire within the next 30 days, and 'force' is not set." },
        'pvenode acme cert renew  [OPTIONS]',
      );
    }
  }
  const conf = orderConf(node);
  if (typeof conf === 'string') return die(ctx, conf);
  const domains = conf.domains.map((d) => d.domain);
  const o = (s: string): void => {
    out(ctx, s + '\n');
  };
  o('Loading ACME account details');
  o('Placing ACME order');
  if (node.faults.acmeFailure) {
    o(`Task ${node.faults.acmeFailure}`);
    ctx.io.stderr.write(`${node.faults.acmeFailure}\n`);
    return 255;
  }
  o(`Order URL: https://acme-v02.api.letsencrypt.org/acme/order/1/${node.rng.int(1e9)}`);
  for (const entry of conf.domains) {
    o(`\nGetting authorization details from 'https://acme-v02.api.letsencrypt.org/acme/authz-v3/${node.rng.int(1e9)}'`);
    o(`The validation for ${entry.domain} is pending!`);
    await setupChallenge(node, ctx, entry);
    o('Triggering validation');
    o('Sleeping for 5 seconds');
    await sleep(5, ctx.signal);
    o(`Status is 'valid', domain '${entry.domain}' OK!`);
    teardownChallenge(ctx, entry);
  }
  o('\nAll domains validated!');
  o('\nCreating CSR');
  o('Checking order status');
  o('Order is ready, finalizing order');
  o('valid!');
  o('\nDownloading certificate');
  o('Setting pveproxy certificate and key');
  const now = Math.floor(node.sim.now() / 1000);
  node.fs.writeFile(
    path,
    encodeCert({ ...acmeCert(domains[0], now, node.rng.hex(16).toUpperCase()), san: domains.map((d) => `DNS:${d}`) }),
  );
  node.fs.writeFile(`${LOCAL}/pveproxy-ssl.key`, FAKE_KEY);
  o('Restarting pveproxy');
  node.log('pveproxy', 'pveproxy', 'restarting server after certificate change', 1444);
  if (verb === 'renew') o('Revoking old certificate');
  o('Task OK');
  return 0;
}
