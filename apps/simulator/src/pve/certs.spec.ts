import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';

describe('certificates and ACME', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('pvenode cert info --output-format json has PVE fields, canonical and sorted', async () => {
    sim = await startTestSim();
    const r = await sim.exec('pve1', 'pvenode cert info --output-format json');
    const certs = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(certs.map((c) => c.filename)).toEqual(['pve-root-ca.pem', 'pve-ssl.pem', 'pveproxy-ssl.pem']);
    const proxy = certs[2];
    expect(Object.keys(proxy)).toEqual([
      'filename',
      'fingerprint',
      'issuer',
      'notafter',
      'notbefore',
      'pem',
      'public-key-bits',
      'public-key-type',
      'san',
      'subject',
    ]);
    expect(proxy.fingerprint).toMatch(/^([A-F0-9]{2}:){31}[A-F0-9]{2}$/);
    expect(proxy.subject).toBe('/CN=pve1.pvefleet.test');
    expect(Math.round(((proxy.notafter as number) - Date.now() / 1000) / 86400)).toBe(60);
  });

  it('openssl reads the same file: enddate and checkend', async () => {
    sim = await startTestSim();
    expect((await sim.exec('pve1', 'openssl x509 -enddate -noout -in /etc/pve/local/pveproxy-ssl.pem')).stdout).toMatch(
      /^notAfter=[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4} GMT\n$/,
    );
    expect(await sim.exec('pve1', 'openssl x509 -checkend 2592000 -noout -in /etc/pve/local/pveproxy-ssl.pem')).toMatchObject({
      stdout: 'Certificate will not expire\n',
      code: 0,
    });
    sim.ageCertificate('pve1', 45);
    expect(await sim.exec('pve1', 'openssl x509 -checkend 2592000 -noout -in /etc/pve/local/pveproxy-ssl.pem')).toMatchObject({
      stdout: 'Certificate will expire\n',
      code: 1,
    });
    expect((await sim.exec('pve1', 'openssl x509 -noout -enddate -in /nope.pem')).code).toBe(1);
  });

  it('renew refuses above 30 days unless forced, and moves notAfter ~90 days ahead', async () => {
    sim = await startTestSim();
    const refused = await sim.exec('pve1', 'pvenode acme cert renew');
    expect(refused).toMatchObject({
      code: 255,
      stderr:
        "400 Parameter verification failed.\nforce: Certificate does not expire within the next 30 days, and 'force' is not set.\npvenode acme cert renew  [OPTIONS]\n",
    });
    sim.ageCertificate('pve1', 70);
    expect(sim.state('pve1').certificates.pveproxy?.daysLeft).toBeLessThan(30);
    const renewed = await sim.exec('pve1', 'pvenode acme cert renew');
    expect(renewed.code).toBe(0);
    expect(renewed.stdout).toContain("Status is 'valid', domain 'pve1.pvefleet.test' OK!\n");
    expect(renewed.stdout.endsWith('Revoking old certificate\nTask OK\n')).toBe(true);
    expect(sim.state('pve1').certificates.pveproxy?.daysLeft).toBe(89);
    expect((await sim.exec('pve1', 'pvenode acme cert renew --force 1')).code).toBe(0);
  });

  it('order needs domains and --force over an existing certificate; ACME failures are injectable', async () => {
    sim = await startTestSim({ acmeCertificate: false });
    expect(await sim.exec('pve1', 'pvenode acme cert order')).toMatchObject({
      code: 255,
      stderr: 'ACME domain list in node configuration is missing!\n',
    });
    expect((await sim.exec('pve1', 'pvenode config set --acme domains=pve1.example.com')).code).toBe(0);
    expect((await sim.exec('pve1', 'cat /etc/pve/nodes/pve1/config')).stdout).toBe('acme: domains=pve1.example.com\n');
    expect((await sim.exec('pve1', 'pvenode config set --acme domains=not_a_domain')).code).toBe(255);
    sim.failAcme('pve1');
    const failed = await sim.exec('pve1', 'pvenode acme cert order');
    expect(failed.code).toBe(255);
    expect(sim.state('pve1').certificates.pveproxy).toBeNull();
    sim.clearAcmeFailure('pve1');
    expect((await sim.exec('pve1', 'pvenode acme cert order')).code).toBe(0);
    expect(sim.state('pve1').certificates.pveproxy?.subject).toBe('/CN=pve1.example.com');
    expect(await sim.exec('pve1', 'pvenode acme cert order')).toMatchObject({
      code: 255,
      stderr: "Custom certificate exists but 'force' is not set.\n",
    });
  });
});
