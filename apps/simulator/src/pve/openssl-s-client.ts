import type { NodeProgram, SimNode } from '../model/node';
import type { CommandContext } from '../shell/command';
import { fail, out } from '../shell/command';
import { decodeCert } from '../model/certificate';
import { servedPem } from '../model/pveproxy-tls';
import { opensslDate } from '../util/time';
import { opensslPrograms as x509Programs } from './certs';

/** OpenSSL 3's one-line form of a distinguished name (`CN = x, O = y`) from PVE's `/CN=x/O=y`. */
function oneline(dn: string): string {
  return dn
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace('=', ' = '))
    .join(', ');
}

/** Addresses that reach this node's own pveproxy. */
function isSelf(node: SimNode, host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1');
  return ['127.0.0.1', 'localhost', '::1', node.ip, node.name, node.fqdn].includes(h);
}

/**
 * `openssl s_client -connect HOST:PORT [-servername NAME]`: the handshake summary with the server
 * certificate's PEM on stdout, as OpenSSL 3 prints it (only pveproxy's 8006 on the node itself
 * answers). It returns at once, as the real one does with `</dev/null`.
 */
function sClient(node: SimNode, ctx: CommandContext): number {
  const args = ctx.argv.slice(2);
  const connect = args[args.indexOf('-connect') + 1] as string | undefined;
  if (!args.includes('-connect') || !connect) return fail(ctx, 's_client: -connect host:port is required here', 1);
  const at = connect.lastIndexOf(':');
  const host = connect.slice(0, at);
  const port = connect.slice(at + 1);
  const pem = isSelf(node, host) && port === '8006' ? servedPem(node) : undefined;
  const info = pem ? decodeCert(pem) : undefined;
  if (!pem || !info) {
    return fail(
      ctx,
      `40F7A1B2C37F0000:error:8000006F:system library:BIO_connect:Connection refused:../crypto/bio/bio_sock2.c:117:calling connect()\n40F7A1B2C37F0000:error:10000067:BIO routines:BIO_connect:connect error:../crypto/bio/bio_sock2.c:119:\nconnect:errno=111`,
      1,
    );
  }
  const subject = oneline(info.subject);
  const issuer = oneline(info.issuer);
  out(
    ctx,
    [
      'CONNECTED(00000003)',
      '---',
      'Certificate chain',
      ` 0 s:${subject}`,
      `   i:${issuer}`,
      `   a:PKEY: ${info.keyType}, ${info.bits} (bit); sigalg: RSA-SHA256`,
      `   v:NotBefore: ${opensslDate(info.notBefore * 1000)}; NotAfter: ${opensslDate(info.notAfter * 1000)}`,
      '---',
      'Server certificate',
      pem.trimEnd(),
      `subject=${subject}`,
      `issuer=${issuer}`,
      '---',
      'No client certificate CA names sent',
      'Peer signing digest: SHA256',
      'Peer signature type: RSA-PSS',
      'Server Temp Key: X25519, 253 bits',
      '---',
      'New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384',
      `Server public key is ${info.bits} bit`,
      'Verify return code: 0 (ok)',
      '---',
      '',
    ].join('\n'),
  );
  ctx.io.stderr.write('DONE\n');
  return 0;
}

/** `openssl`: `s_client` against the node's pveproxy, `x509` (certs.ts) for everything a file or pipe holds. */
export const opensslPrograms: Record<string, NodeProgram> = {
  openssl: (node, ctx) => (ctx.argv[1] === 's_client' ? sClient(node, ctx) : x509Programs.openssl(node, ctx)),
};
