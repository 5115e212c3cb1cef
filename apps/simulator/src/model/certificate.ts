import { createHash, X509Certificate } from 'node:crypto';

/**
 * Certificates are stored as files, so `cat`, `openssl` and `pvenode cert
 * info` all read the same truth. The simulator cannot sign real X.509
 * certificates without a library, so its own PEMs carry a JSON payload in the
 * base64 body; a real certificate written by a client is parsed with Node's
 * X509Certificate instead.
 */
export interface CertInfo {
  subject: string;
  issuer: string;
  notBefore: number;
  notAfter: number;
  san: string[];
  keyType: string;
  bits: number;
  serial: string;
}

const MARKER = 'pvefleet-simulated-certificate';

export function encodeCert(info: CertInfo): string {
  const body = Buffer.from(JSON.stringify({ [MARKER]: 1, ...info })).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export function decodeCert(pem: string): CertInfo | undefined {
  const m = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/.exec(pem);
  if (!m) return undefined;
  const body = m[1].replace(/\s+/g, '');
  try {
    const json = JSON.parse(Buffer.from(body, 'base64').toString('utf8')) as Record<string, unknown>;
    if (json[MARKER]) return json as unknown as CertInfo;
  } catch {
    // not one of ours: try a real certificate below
  }
  try {
    const x = new X509Certificate(pem);
    return {
      subject: '/' + x.subject.split('\n').join('/'),
      issuer: '/' + x.issuer.split('\n').join('/'),
      notBefore: Math.floor(Date.parse(x.validFrom) / 1000),
      notAfter: Math.floor(Date.parse(x.validTo) / 1000),
      san: (x.subjectAltName ?? '')
        .split(', ')
        .filter(Boolean)
        .map((s) => s.replace('IP Address:', 'IP:')),
      keyType: x.publicKey.asymmetricKeyType === 'rsa' ? 'rsaEncryption' : 'id-ecPublicKey',
      bits: x.publicKey.asymmetricKeyDetails?.modulusLength ?? 256,
      serial: x.serialNumber,
    };
  } catch {
    return undefined;
  }
}

/** SHA-256 of the DER body in `AA:BB:…` form, as `pvenode cert info` and openssl print it. */
export function certFingerprint(pem: string): string {
  const body = /-----BEGIN CERTIFICATE-----([^-]+)-----END/.exec(pem)?.[1].replace(/\s+/g, '') ?? '';
  const hex = createHash('sha256').update(Buffer.from(body, 'base64')).digest('hex').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

export const DAY = 86400;

export function acmeCert(fqdn: string, notBefore: number, serial: string): CertInfo {
  return {
    subject: `/CN=${fqdn}`,
    issuer: "/C=US/O=Let's Encrypt/CN=R11",
    notBefore,
    notAfter: notBefore + 90 * DAY,
    san: [`DNS:${fqdn}`],
    keyType: 'rsaEncryption',
    bits: 2048,
    serial,
  };
}

export function nodeSslCert(node: string, fqdn: string, ip: string, notBefore: number, serial: string): CertInfo {
  return {
    subject: `/OU=PVE Cluster Node/O=Proxmox Virtual Environment/CN=${fqdn}`,
    issuer: '/CN=Proxmox Virtual Environment/OU=8a0c4b5e-4f4c-4d0b-9c53-6f3b2f0f8e11/O=PVE Cluster Manager CA',
    notBefore,
    notAfter: notBefore + 730 * DAY,
    san: ['IP:127.0.0.1', 'IP:0:0:0:0:0:0:0:1', 'DNS:localhost', `IP:${ip}`, `DNS:${node}`, `DNS:${fqdn}`],
    keyType: 'rsaEncryption',
    bits: 2048,
    serial,
  };
}

export function rootCaCert(notBefore: number, serial: string): CertInfo {
  const subject = '/CN=Proxmox Virtual Environment/OU=8a0c4b5e-4f4c-4d0b-9c53-6f3b2f0f8e11/O=PVE Cluster Manager CA';
  return { subject, issuer: subject, notBefore, notAfter: notBefore + 3650 * DAY, san: [], keyType: 'rsaEncryption', bits: 4096, serial };
}

export const FAKE_KEY = '-----BEGIN PRIVATE KEY-----\nc2ltdWxhdGVkIGtleSAtIG5vdCBhIHJlYWwgcHJpdmF0ZSBrZXk=\n-----END PRIVATE KEY-----\n';
