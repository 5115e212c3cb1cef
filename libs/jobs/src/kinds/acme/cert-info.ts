import type { CertificateFacts } from '../../node-facts';

/** The custom/ACME certificate pveproxy serves; the self-signed ones are not ACME's business. */
export const CUSTOM_CERT = 'pveproxy-ssl.pem';
export const CERT_INFO = 'pvenode cert info --output-format json';
const DAY_S = 86_400;

/**
 * The custom certificate from `pvenode cert info --output-format json` (an array, one object per
 * certificate file: filename, fingerprint, subject, issuer, notbefore, notafter (epoch s), san…).
 * Null when the node has none; throws when the output is not that JSON.
 */
export function parseCustomCertificate(text: string): CertificateFacts | null {
  const list: unknown = JSON.parse(text);
  if (!Array.isArray(list)) throw new Error('pvenode cert info did not print a JSON array');
  const entry = list.find(
    (c): c is Record<string, unknown> => typeof c === 'object' && c !== null && (c as Record<string, unknown>).filename === CUSTOM_CERT,
  );
  if (!entry) return null;
  if (typeof entry.notafter !== 'number') throw new Error(`${CUSTOM_CERT} has no notafter`);
  return {
    filename: CUSTOM_CERT,
    subject: typeof entry.subject === 'string' ? entry.subject : '',
    issuer: typeof entry.issuer === 'string' ? entry.issuer : '',
    san: Array.isArray(entry.san) ? entry.san.filter((v): v is string => typeof v === 'string') : [],
    fingerprint: typeof entry.fingerprint === 'string' ? entry.fingerprint : '',
    notBefore: typeof entry.notbefore === 'number' ? entry.notbefore : 0,
    notAfter: entry.notafter,
  };
}

/** The DNS names a certificate covers (`DNS:` prefixes dropped, lower-cased). */
export function coveredNames(cert: CertificateFacts): string[] {
  return cert.san.map((s) => s.replace(/^DNS:/i, '').toLowerCase());
}

/** e.g. "2026-12-31T12:00:00.000Z" from epoch seconds. */
export function isoDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

/** "expires in 59 days (2027-01-30)" / "expired 3 days ago (…)", as of `nowMs`. */
export function describeExpiry(cert: CertificateFacts, nowMs: number): string {
  const left = cert.notAfter - nowMs / 1000;
  // Whole days, counted away from the expiry: 20.3 days ago is "20 days ago", as 59.7 to go is 59.
  const days = Math.floor(Math.abs(left) / DAY_S);
  const date = isoDate(cert.notAfter).slice(0, 10);
  const n = `${days} day${days === 1 ? '' : 's'}`;
  return left >= 0 ? `expires in ${n} (${date})` : `expired ${n} ago (${date})`;
}

/** Whether the certificate's notAfter falls within `days` of `nowMs`. */
export function expiresWithin(cert: CertificateFacts, nowMs: number, days: number): boolean {
  return cert.notAfter < nowMs / 1000 + days * DAY_S;
}
