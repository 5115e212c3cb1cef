import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../simulator';
import { startTestSim } from '../testing/sim-harness';

const SERVED =
  'openssl s_client -connect 127.0.0.1:8006 -servername pve1.pvefleet.test </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 -enddate';

const fingerprintOf = async (sim: Simulator) =>
  (
    JSON.parse((await sim.exec('pve1', 'pvenode cert info --output-format json')).stdout) as { filename: string; fingerprint: string }[]
  ).find((c) => c.filename === 'pveproxy-ssl.pem')?.fingerprint;

describe('pveproxy on 8006 through openssl s_client', () => {
  let sim: Simulator;
  afterEach(() => sim.stop());

  it('serves its certificate file: the pipe prints the fingerprint and notAfter as OpenSSL 3 does', async () => {
    sim = await startTestSim();
    const r = await sim.exec('pve1', SERVED);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^sha256 Fingerprint=([A-F0-9]{2}:){31}[A-F0-9]{2}\nnotAfter=[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4} GMT\n$/,
    );
    expect(r.stdout).toContain(`Fingerprint=${await fingerprintOf(sim)}\n`);
    const full = await sim.exec('pve1', 'openssl s_client -connect localhost:8006 </dev/null');
    expect(full.stdout).toMatch(/^CONNECTED\(00000003\)\n---\nCertificate chain\n 0 s:CN = pve1\.pvefleet\.test\n/);
    expect(full.stdout).toContain('Server certificate\n-----BEGIN CERTIFICATE-----\n');
  });

  it('a stale pveproxy keeps the old certificate after a renewal until systemctl restart pveproxy', async () => {
    sim = await startTestSim();
    const before = (await sim.exec('pve1', SERVED)).stdout;
    sim.keepServedCertificate('pve1');
    expect((await sim.exec('pve1', 'pvenode acme cert renew --force 1')).code).toBe(0);
    const renewed = await fingerprintOf(sim);
    expect((await sim.exec('pve1', SERVED)).stdout).toBe(before);
    expect(sim.state('pve1').certificates.servedFingerprint).not.toBe(renewed);
    expect((await sim.exec('pve1', 'systemctl restart pveproxy')).code).toBe(0);
    expect((await sim.exec('pve1', SERVED)).stdout).toContain(`Fingerprint=${renewed}\n`);
    expect(sim.state('pve1').certificates.servedFingerprint).toBe(renewed);
  });

  it('nothing listens when pveproxy is stopped or on another port: x509 reads nothing and exits 1', async () => {
    sim = await startTestSim();
    expect(
      await sim.exec('pve1', 'openssl s_client -connect 127.0.0.1:443 </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256'),
    ).toMatchObject({
      stdout: '',
      code: 1,
    });
    await sim.exec('pve1', 'systemctl stop pveproxy');
    const r = await sim.exec('pve1', SERVED);
    expect(r).toMatchObject({ stdout: '', code: 1 });
    expect(r.stderr).toBe('Could not read certificate from <stdin>\nUnable to load certificate\n');
  });
});
