import { describe, expect, it } from 'vitest';
import { parseCertificate } from './certificate';

// Simulator output for pve1 (pem bodies shortened; everything else verbatim).
const SIM = JSON.stringify([
  {
    filename: 'pve-root-ca.pem',
    fingerprint: '41:F2:2E:8C:6C:30:3A:B6:7A:B6:5E:4E:E4:1D:6D:DC:26:C7:0C:C0:28:B4:36:72:8A:9E:DD:EA:B0:2E:32:A1',
    issuer: '/CN=Proxmox Virtual Environment/OU=8a0c4b5e-4f4c-4d0b-9c53-6f3b2f0f8e11/O=PVE Cluster Manager CA',
    notafter: 2076218792,
    notbefore: 1760858792,
    pem: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n',
    'public-key-bits': 4096,
    'public-key-type': 'rsaEncryption',
    san: [],
    subject: '/CN=Proxmox Virtual Environment/OU=8a0c4b5e-4f4c-4d0b-9c53-6f3b2f0f8e11/O=PVE Cluster Manager CA',
  },
  {
    filename: 'pve-ssl.pem',
    fingerprint: '98:DD:0E:76:02:1C:4D:E0:83:0C:70:24:76:CB:49:D3:E5:2D:E9:EA:B2:90:3F:30:9D:DD:CE:19:87:EF:C6:34',
    issuer: '/CN=Proxmox Virtual Environment/OU=8a0c4b5e-4f4c-4d0b-9c53-6f3b2f0f8e11/O=PVE Cluster Manager CA',
    notafter: 1832570792,
    notbefore: 1769498792,
    pem: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n',
    'public-key-bits': 2048,
    'public-key-type': 'rsaEncryption',
    san: ['IP:127.0.0.1', 'IP:0:0:0:0:0:0:0:1', 'localhost', 'IP:10.10.0.2', 'pve1', 'pve1.pvefleet.test'],
    subject: '/OU=PVE Cluster Node/O=Proxmox Virtual Environment/CN=pve1.pvefleet.test',
  },
  {
    filename: 'pveproxy-ssl.pem',
    fingerprint: '79:1C:5A:4B:6A:08:2D:76:EE:D9:16:28:C9:2E:91:37:2E:43:A2:0F:44:3D:E0:EE:DB:DD:5D:A4:D2:3D:9F:0A',
    issuer: "/C=US/O=Let's Encrypt/CN=R11",
    notafter: 1800602792,
    notbefore: 1792826792,
    pem: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n',
    'public-key-bits': 2048,
    'public-key-type': 'rsaEncryption',
    san: ['pve1.pvefleet.test'],
    subject: '/CN=pve1.pvefleet.test',
  },
]);

describe('parseCertificate', () => {
  it('picks pveproxy-ssl.pem from the simulator output', () => {
    expect(parseCertificate(SIM)).toEqual({
      filename: 'pveproxy-ssl.pem',
      subject: '/CN=pve1.pvefleet.test',
      issuer: "/C=US/O=Let's Encrypt/CN=R11",
      san: ['pve1.pvefleet.test'],
      fingerprint: '79:1C:5A:4B:6A:08:2D:76:EE:D9:16:28:C9:2E:91:37:2E:43:A2:0F:44:3D:E0:EE:DB:DD:5D:A4:D2:3D:9F:0A',
      notBefore: 1792826792,
      notAfter: 1800602792,
    });
  });

  it('reads the field set of pve-commands §5.3 with a trailing newline', () => {
    const text = `${JSON.stringify([{ filename: 'pveproxy-ssl.pem', fingerprint: 'AA:BB', subject: '/CN=pve1.example.com', issuer: "/C=US/O=Let's Encrypt/CN=R3", notbefore: 1700000000, notafter: 1707776000, san: ['DNS:pve1.example.com'], 'public-key-type': 'rsaEncryption', 'public-key-bits': 2048, pem: '' }])}\n`;
    expect(parseCertificate(text)).toMatchObject({ san: ['DNS:pve1.example.com'], notBefore: 1700000000, notAfter: 1707776000 });
  });

  it('is null with only the self-signed certificates', () => {
    const selfSigned = (JSON.parse(SIM) as { filename: string }[]).filter((c) => c.filename !== 'pveproxy-ssl.pem');
    expect(parseCertificate(JSON.stringify(selfSigned))).toBeNull();
  });

  it('is null on empty, invalid or unexpected output, and without an expiry', () => {
    expect(parseCertificate('')).toBeNull();
    expect(parseCertificate('[{"filename":')).toBeNull();
    expect(parseCertificate('{"filename":"pveproxy-ssl.pem","notafter":1}')).toBeNull();
    expect(parseCertificate('[null, 3, {"filename":"pveproxy-ssl.pem"}]')).toBeNull();
  });

  it('fills missing optional fields instead of failing', () => {
    expect(parseCertificate('[{"filename":"pveproxy-ssl.pem","notafter":"1800602792","san":["a",1]}]')).toEqual({
      filename: 'pveproxy-ssl.pem',
      subject: '',
      issuer: '',
      san: ['a'],
      fingerprint: '',
      notBefore: 0,
      notAfter: 1800602792,
    });
  });
});
