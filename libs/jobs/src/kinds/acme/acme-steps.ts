import type { CapturedOutput, JobOutcome, Outputs, Plan, PlanStep } from '../../job-kind';
import type { CertificateFacts, NodeFacts } from '../../node-facts';
import { acmeFactsAfter, configReadBackStep, configureStep, describeChange } from './acme-node-config';
import { setupNotes, type AcmeSetup } from './acme-setup';
import { CERT_INFO, coveredNames, isoDate, parseCustomCertificate } from './cert-info';

/** What the task does about the certificate. */
export type CertAction = { kind: 'order'; force: boolean } | { kind: 'renew'; force: boolean } | { kind: 'none' };

export const ACME_OUTPUT = 'acme';
export const CERT_OUTPUT = 'certinfo';

/** Configure (if needed), order or renew (if decided), then read the certificate back. */
export function certPlan(setup: AcmeSetup, action: CertAction, reason: string, before: CertificateFacts | null): Plan {
  const steps: PlanStep[] = [];
  if (setup.configure) steps.push(configureStep(setup.configure), configReadBackStep({ ...setup, plugin: setup.plugin ?? null }));
  if (action.kind !== 'none') steps.push(acmeStep(action, setup));
  steps.push(readBackStep(action, before, setup));
  return { notes: [...setupNotes(setup), reason], steps };
}

/**
 * `pvenode acme cert order|renew [--force 1]`. The CLI runs the task in the foreground, prints its
 * log and then `Task OK` or `Task <error>`, exiting 255 on error (pve-commands §1.3): exit 255 is
 * accepted here so the task fails with the ACME message rather than just the exit code.
 */
export function acmeStep(action: Exclude<CertAction, { kind: 'none' }>, setup: AcmeSetup): PlanStep {
  const verb = action.kind;
  const command = `pvenode acme cert ${verb}${action.force ? ' --force 1' : ''}`;
  return {
    command,
    description: verb === 'order' ? 'order a certificate from the ACME CA' : 'renew the certificate with the ACME CA',
    capture: ACME_OUTPUT,
    okExitCodes: [0, 255],
    timeoutMs: 10 * 60_000,
    verify: (out) => {
      if (out.exitCode === 0) return undefined;
      const configured = setup.configure ? ` (the node's ACME config was set to ${describeChange(setup.configure)})` : '';
      return `ACME certificate ${verb} failed: ${taskError(out.stdout) ?? `'${command}' exited with ${out.exitCode} (see the log)`}${configured}`;
    },
  };
}

/** The message of the CLI's last `Task <status>` line, unless it is `Task OK`. */
export function taskError(stdout: string): string | undefined {
  const last = stdout
    .split('\n')
    .filter((l) => l.startsWith('Task '))
    .at(-1);
  const status = last?.slice('Task '.length).trim();
  return status && status !== 'OK' ? status : undefined;
}

/**
 * Reads the certificate back: after an order or renewal there must be one that expires later than
 * before and covers the domains; otherwise the one there was must still be there.
 */
export function readBackStep(action: CertAction, before: CertificateFacts | null, setup: AcmeSetup): PlanStep {
  return {
    command: CERT_INFO,
    description: 'read the certificate back',
    capture: CERT_OUTPUT,
    // The JSON carries every certificate's PEM: parsed, not shown.
    quiet: true,
    verify: (out) => certProblem(out, action, before, setup),
  };
}

function certProblem(out: CapturedOutput, action: CertAction, before: CertificateFacts | null, setup: AcmeSetup): string | undefined {
  let after: CertificateFacts | null;
  try {
    after = parseCustomCertificate(out.stdout);
  } catch (err) {
    return `cannot read '${CERT_INFO}': ${(err as Error).message}`;
  }
  if (!after)
    return action.kind === 'none' ? 'the node has no custom certificate any more' : `no custom certificate after the ${action.kind}`;
  if (action.kind === 'none') return undefined;
  if (before && after.notAfter <= before.notAfter) {
    return `the certificate was not replaced: notAfter still ${isoDate(after.notAfter)} (before: ${isoDate(before.notAfter)})`;
  }
  const missing = setup.domains.filter((d) => !coveredNames(after).includes(d));
  if (missing.length) return `the new certificate does not cover ${missing.join(', ')} (covers: ${coveredNames(after).join(', ')})`;
  return undefined;
}

/** old/new expiry and fingerprint on the task, and the new certificate (and ACME config) in the facts. */
export function certOutcome(action: CertAction, reason: string, setup: AcmeSetup, outputs: Outputs, facts: NodeFacts | null): JobOutcome {
  const before = facts?.certificate ?? null;
  const after = parseCustomCertificate(outputs[CERT_OUTPUT]?.stdout ?? '');
  const result = {
    action: action.kind,
    renewed: action.kind !== 'none',
    reason,
    oldNotAfter: before ? isoDate(before.notAfter) : null,
    newNotAfter: after ? isoDate(after.notAfter) : null,
    oldFingerprint: before?.fingerprint ?? null,
    newFingerprint: after?.fingerprint ?? null,
    account: setup.account,
    domains: setup.domains,
  };
  if (!facts) return { result };
  const acme = acmeFactsAfter(facts.acme, { ...setup, plugin: setup.plugin ?? null }, setup.configure);
  return { result, facts: { ...facts, certificate: after, acme } };
}
