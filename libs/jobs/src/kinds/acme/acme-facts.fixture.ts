import type { CertificateFacts, NodeFacts } from '../../node-facts';
import { pveNodeFacts } from '../../testing/node-facts.fixture';

export const NOW_MS = Date.UTC(2026, 10, 1);
export const DAY_S = 86_400;
export const FP_OLD = Array(32).fill('AB').join(':');
export const FP_NEW = Array(32).fill('CD').join(':');

/** A Let's Encrypt certificate for pve1.example.com with `daysLeft` days to run as of NOW_MS. */
export function acmeCert(daysLeft: number, fingerprint = FP_OLD, san = ['pve1.example.com']): CertificateFacts {
  const notAfter = NOW_MS / 1000 + daysLeft * DAY_S;
  return {
    filename: 'pveproxy-ssl.pem',
    subject: `/CN=${san[0]}`,
    issuer: "/C=US/O=Let's Encrypt/CN=R11",
    san,
    fingerprint,
    notBefore: notAfter - 90 * DAY_S,
    notAfter,
  };
}

/** Hand-built facts of a PVE node with an ACME setup (account `default`, domain pve1.example.com). */
export function acmeFacts(over: Partial<NodeFacts> = {}, pveMajor: 8 | 9 = 8): NodeFacts {
  return pveNodeFacts(pveMajor, {
    collectedAt: NOW_MS,
    certificate: acmeCert(60),
    acme: { account: 'default', domains: ['pve1.example.com'], accounts: ['default'] },
    ...over,
  });
}

/** `pvenode cert info --output-format json` as PVE prints it, with the given custom certificate. */
export function certInfoJson(custom: CertificateFacts | null): string {
  const ca = {
    filename: 'pve-root-ca.pem',
    fingerprint: FP_OLD,
    issuer: '/CN=Proxmox Virtual Environment',
    notafter: 2e9,
    notbefore: 1.6e9,
    pem: '-----BEGIN CERTIFICATE-----\n…',
    'public-key-bits': 4096,
    'public-key-type': 'rsaEncryption',
    san: [],
    subject: '/CN=Proxmox Virtual Environment',
  };
  const list: object[] = [ca];
  if (custom) {
    list.push({
      filename: custom.filename,
      fingerprint: custom.fingerprint,
      issuer: custom.issuer,
      notafter: custom.notAfter,
      notbefore: custom.notBefore,
      pem: '-----BEGIN CERTIFICATE-----\n…',
      'public-key-bits': 2048,
      'public-key-type': 'rsaEncryption',
      san: custom.san,
      subject: custom.subject,
    });
  }
  return JSON.stringify(list);
}
