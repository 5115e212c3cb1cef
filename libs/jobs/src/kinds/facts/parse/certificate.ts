import type { CertificateFacts } from '../../../node-facts';
import { finiteNumber, isRecord, parseJson, stringOrNull } from './json';

/** The custom/ACME certificate pveproxy serves when present; the self-signed ones are not our business. */
const CUSTOM_CERT = 'pveproxy-ssl.pem';

/**
 * `pvenode cert info --output-format json`: an array with one object per certificate file.
 * Null when there is no `pveproxy-ssl.pem` entry, or when the output is empty, not JSON, or the
 * entry has no readable expiry (a plan must never compare against a made-up date).
 */
export function parseCertificate(text: string): CertificateFacts | null {
  const list = parseJson(text);
  if (!Array.isArray(list)) return null;
  const entry: unknown = list.find((c) => isRecord(c) && c.filename === CUSTOM_CERT);
  if (!isRecord(entry)) return null;
  const notAfter = finiteNumber(entry.notafter);
  if (notAfter === null) return null;
  return {
    filename: CUSTOM_CERT,
    subject: stringOrNull(entry.subject) ?? '',
    issuer: stringOrNull(entry.issuer) ?? '',
    san: Array.isArray(entry.san) ? entry.san.filter((v): v is string => typeof v === 'string') : [],
    fingerprint: stringOrNull(entry.fingerprint) ?? '',
    notBefore: finiteNumber(entry.notbefore) ?? 0,
    notAfter,
  };
}
