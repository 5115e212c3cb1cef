import type { CapturedOutput, JobOutcome, Outputs, Plan, PlanStep } from '../../job-kind';
import { shellQuote } from '../../shell-quote';
import type { AcmeSetup } from './acme-setup';
import { CERT_OUTPUT, type CertAction } from './acme-steps';
import { isoDate, parseCustomCertificate } from './cert-info';

export const SERVED_CERT_OUTPUT = 'servedcert';

/** pveproxy's address as the node itself reaches it: what a browser gets on port 8006. */
const PVEPROXY = '127.0.0.1:8006';

/** The certificate pveproxy serves: its SHA-256 fingerprint (`AA:BB:…`) and notAfter (epoch seconds). */
export interface ServedCertificate {
  fingerprint: string;
  notAfter: number | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Jan  2 19:35:11 2027 GMT` (OpenSSL's ASN1_TIME print) as epoch seconds; null if not that form. */
export function parseOpensslTime(text: string): number | null {
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(text.trim());
  const month = m ? MONTHS.indexOf(m[1]) : -1;
  if (!m || month < 0) return null;
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) / 1000;
}

/**
 * `openssl x509 -noout -fingerprint -sha256 -enddate` on what `s_client` received: `sha256
 * Fingerprint=AA:…` (OpenSSL 1.1 writes `SHA256 Fingerprint=`) and `notAfter=Jan  2 19:35:11 2027
 * GMT`. Null when no certificate came through (nothing listening, handshake failed).
 */
export function parseServedCertificate(stdout: string): ServedCertificate | null {
  const fingerprint = /^sha256 Fingerprint=((?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2})$/im.exec(stdout)?.[1];
  if (!fingerprint) return null;
  const end = /^notAfter=(.*)$/m.exec(stdout)?.[1];
  return { fingerprint: fingerprint.toUpperCase(), notAfter: end === undefined ? null : parseOpensslTime(end) };
}

/**
 * After an order or renewal: the certificate pveproxy actually serves must be the new one (the one
 * `pvenode cert info` just read back). pvenode restarts pveproxy itself; when that did not take, the
 * node keeps serving the old certificate until it expires, and browsers refuse the node then.
 */
export function servedCertStep(serverName: string): PlanStep {
  return {
    command: `openssl s_client -connect ${PVEPROXY} -servername ${shellQuote(serverName)} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 -enddate`,
    description: 'check the certificate pveproxy serves on port 8006 is the new one',
    capture: SERVED_CERT_OUTPUT,
    // x509 exits 1 when s_client received nothing: the verify says what that means.
    okExitCodes: [0, 1],
    timeoutMs: 30_000,
    verify: servedCertProblem,
  };
}

export function servedCertProblem(out: CapturedOutput, outputs: Outputs): string | undefined {
  const expected = parseCustomCertificate(outputs[CERT_OUTPUT]?.stdout ?? '[]');
  // The read-back step before this one already failed the task when there is no new certificate.
  if (!expected) return undefined;
  const served = parseServedCertificate(out.stdout);
  const want = `the new certificate ${expected.fingerprint} (expires ${isoDate(expected.notAfter)})`;
  if (!served) {
    return `pveproxy on ${PVEPROXY} served no certificate (is it running?), expected ${want}: check 'systemctl status pveproxy', then 'systemctl restart pveproxy'`;
  }
  if (served.fingerprint === expected.fingerprint.toUpperCase()) return undefined;
  const expires = served.notAfter === null ? '' : ` (expires ${isoDate(served.notAfter)})`;
  return (
    `pveproxy still serves the old certificate ${served.fingerprint}${expires}, expected ${want}: ` +
    `the new one is installed but pveproxy did not load it; run 'systemctl restart pveproxy' on the node`
  );
}

/** An order or renewal's plan ends with the served-certificate check (for the first ACME domain's name). */
export function withServedCheck(plan: Plan, action: CertAction, setup: AcmeSetup): Plan {
  if (action.kind === 'none' || !setup.domains.length) return plan;
  return { ...plan, steps: [...plan.steps, servedCertStep(setup.domains[0])] };
}

/** The served fingerprint joins the task's result (null when the check did not run). */
export function withServedResult(outcome: JobOutcome, outputs: Outputs): JobOutcome {
  const served = outputs[SERVED_CERT_OUTPUT];
  const fingerprint = served ? (parseServedCertificate(served.stdout)?.fingerprint ?? null) : null;
  return { ...outcome, result: { ...outcome.result, servedFingerprint: fingerprint } };
}
