import { describe, expect, it } from 'vitest';
import { acmeCert, certInfoJson, FP_NEW, NOW_MS } from './acme-facts.fixture';
import { coveredNames, describeExpiry, expiresWithin, parseCustomCertificate } from './cert-info';

describe('pvenode cert info', () => {
  it('reads the custom certificate from the JSON array', () => {
    const cert = acmeCert(60, FP_NEW, ['pve1.example.com', 'pve.example.com']);
    expect(parseCustomCertificate(certInfoJson(cert))).toEqual(cert);
  });

  it('null without pveproxy-ssl.pem; throws on output that is not the JSON array', () => {
    expect(parseCustomCertificate(certInfoJson(null))).toBeNull();
    expect(() => parseCustomCertificate('')).toThrow();
    expect(() => parseCustomCertificate('{"filename":"pveproxy-ssl.pem"}')).toThrow(/JSON array/);
    expect(() => parseCustomCertificate('[{"filename":"pveproxy-ssl.pem"}]')).toThrow(/notafter/);
  });

  it('covered names drop DNS: prefixes and case', () => {
    expect(coveredNames(acmeCert(1, FP_NEW, ['DNS:PVE1.example.com', 'pve.example.com']))).toEqual(['pve1.example.com', 'pve.example.com']);
  });

  it('describes and compares the expiry against the facts time', () => {
    expect(describeExpiry(acmeCert(59.5), NOW_MS)).toBe('expires in 59 days (2026-12-30)');
    expect(describeExpiry(acmeCert(1), NOW_MS)).toBe('expires in 1 day (2026-11-02)');
    expect(describeExpiry(acmeCert(-20), NOW_MS)).toBe('expired 20 days ago (2026-10-12)');
    expect(describeExpiry(acmeCert(-20.3), NOW_MS)).toBe('expired 20 days ago (2026-10-11)');
    expect(describeExpiry(acmeCert(-0.5), NOW_MS)).toBe('expired 0 days ago (2026-10-31)');
    expect(expiresWithin(acmeCert(29), NOW_MS, 30)).toBe(true);
    expect(expiresWithin(acmeCert(30), NOW_MS, 30)).toBe(false);
  });
});
