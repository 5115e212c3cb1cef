import { describe, expect, it } from 'vitest';
import { acmeCert, acmeFacts, certInfoJson, FP_NEW, FP_OLD, NOW_MS } from './acme-facts.fixture';
import { acmeRenewJob } from './acmerenew.job';
import { parseOpensslTime, parseServedCertificate, servedCertStep } from './served-cert';
import { servedCheck, servedOutput } from './served-cert.fixture';

describe('served certificate output', () => {
  it('reads OpenSSL 3 and 1.1 fingerprints and the enddate', () => {
    expect(parseServedCertificate(servedOutput(FP_NEW, 'Jan  2 19:35:11 2027 GMT'))).toEqual({
      fingerprint: FP_NEW,
      notAfter: Date.UTC(2027, 0, 2, 19, 35, 11) / 1000,
    });
    expect(parseServedCertificate(`SHA256 Fingerprint=${FP_NEW.toLowerCase()}\nnotAfter=Dec 31 23:59:59 2026 GMT\n`)).toEqual({
      fingerprint: FP_NEW,
      notAfter: Date.UTC(2026, 11, 31, 23, 59, 59) / 1000,
    });
    expect(parseServedCertificate(`sha256 Fingerprint=${FP_NEW}\n`)).toEqual({ fingerprint: FP_NEW, notAfter: null });
  });

  it('nothing served: no fingerprint line (a SHA-1 one does not count), or a short one', () => {
    expect(parseServedCertificate('')).toBeNull();
    expect(parseServedCertificate('sha1 Fingerprint=AB:CD\n')).toBeNull();
    expect(parseServedCertificate(`sha256 Fingerprint=${FP_NEW.slice(3)}\n`)).toBeNull();
    expect(parseOpensslTime('2027-01-02T00:00:00Z')).toBeNull();
    expect(parseOpensslTime('Foo  2 19:35:11 2027 GMT')).toBeNull();
  });
});

describe('served certificate check after a renewal', () => {
  const facts = acmeFacts({ certificate: acmeCert(10) });
  const step = acmeRenewJob.plan({ force: false, renewWithinDays: 30, skipUnconfigured: false }, facts).steps.at(-1)!;
  const outputs = { certinfo: { stdout: certInfoJson(acmeCert(90, FP_NEW)), exitCode: 0 } };

  it('is the last step of a renewal, quoted, and missing when nothing was renewed', () => {
    expect(step.command).toBe(servedCheck('pve1.example.com'));
    expect(step.okExitCodes).toEqual([0, 1]);
    expect(servedCertStep("x'; reboot #").command).toContain("-servername 'x'\\''; reboot #' <");
    expect(
      acmeRenewJob.plan({ force: false, renewWithinDays: 30, skipUnconfigured: false }, acmeFacts()).steps.map((s) => s.command),
    ).toEqual(['pvenode cert info --output-format json']);
  });

  it('passes when pveproxy serves the new certificate', () => {
    expect(step.verify!({ stdout: servedOutput(FP_NEW), exitCode: 0 }, outputs)).toBeUndefined();
    const outcome = acmeRenewJob.finish!(
      { force: false, renewWithinDays: 30, skipUnconfigured: false },
      { ...outputs, servedcert: { stdout: servedOutput(), exitCode: 0 } },
      {
        facts,
        now: NOW_MS,
      },
    );
    expect(outcome.result).toMatchObject({ newFingerprint: FP_NEW, servedFingerprint: FP_NEW });
  });

  it('fails saying what was served, what was expected and what to do', () => {
    expect(step.verify!({ stdout: servedOutput(FP_OLD, 'Nov 11 00:00:00 2026 GMT'), exitCode: 0 }, outputs)).toBe(
      `pveproxy still serves the old certificate ${FP_OLD} (expires 2026-11-11T00:00:00.000Z), expected the new certificate ${FP_NEW} ` +
        `(expires 2027-01-30T00:00:00.000Z): the new one is installed but pveproxy did not load it; run 'systemctl restart pveproxy' on the node`,
    );
    expect(step.verify!({ stdout: '', exitCode: 1 }, outputs)).toBe(
      `pveproxy on 127.0.0.1:8006 served no certificate (is it running?), expected the new certificate ${FP_NEW} ` +
        `(expires 2027-01-30T00:00:00.000Z): check 'systemctl status pveproxy', then 'systemctl restart pveproxy'`,
    );
  });
});
