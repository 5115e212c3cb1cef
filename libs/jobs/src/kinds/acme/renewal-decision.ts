import type { CertificateFacts } from '../../node-facts';
import type { AcmeRenewSpec } from './acme-spec';
import type { AcmeSetup } from './acme-setup';
import type { CertAction } from './acme-steps';
import { coveredNames, describeExpiry, expiresWithin } from './cert-info';

/** `pvenode acme cert renew` refuses without --force unless the certificate expires within 30 days. */
const PVE_RENEW_DAYS = 30;

export interface RenewalDecision {
  action: CertAction;
  /** Why, for the log and the task result. */
  reason: string;
}

/**
 * Renew only when needed, as pve-daily-update does (expiring within the window), or when forced, or
 * when the certificate does not cover the requested domains; order a first one when there is none.
 * "Now" is when the facts were read.
 */
export function renewalDecision(spec: AcmeRenewSpec, cert: CertificateFacts | null, setup: AcmeSetup, nowMs: number): RenewalDecision {
  if (!cert) return { action: { kind: 'order', force: false }, reason: 'no custom certificate (pveproxy-ssl.pem): ordering a first one' };
  const expiry = `certificate ${describeExpiry(cert, nowMs)}`;
  // Beyond PVE's own 30 days, renew needs --force even when our window says renew.
  const force = !expiresWithin(cert, nowMs, PVE_RENEW_DAYS);
  if (spec.force) return { action: { kind: 'renew', force: true }, reason: `${expiry}, renewing because force is set` };
  if (expiresWithin(cert, nowMs, spec.renewWithinDays)) {
    return { action: { kind: 'renew', force }, reason: `${expiry}, within the renewal window of ${spec.renewWithinDays} days: renewing` };
  }
  const uncovered = spec.domains ? setup.domains.filter((d) => !coveredNames(cert).includes(d)) : [];
  if (uncovered.length)
    return { action: { kind: 'renew', force }, reason: `${expiry}, but it does not cover ${uncovered.join(', ')}: renewing` };
  return { action: { kind: 'none' }, reason: `${expiry}, not renewing (renewal window ${spec.renewWithinDays} days)` };
}
