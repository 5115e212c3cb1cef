import { isIP } from 'node:net';
import { z } from 'zod';

/** Proxmox's `pve-node` format (pve-common JSONSchema.pm): one DNS label. */
export const PVE_NODE = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const DNS_LABEL = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

export const nodeName = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(PVE_NODE, 'must be a Proxmox node name: one DNS label of letters, digits and inner hyphens');

/** `dns-name`: dot-separated DNS labels. */
export function isDnsName(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  return value.split('.').every((label) => label.length <= 63 && DNS_LABEL.test(label));
}

/** An IPv4/IPv6 address or a DNS name: what may follow `ssh` as a host. */
export const hostAddress = z
  .string()
  .max(253, 'must be at most 253 characters')
  .refine((v) => isIP(v) !== 0 || isDnsName(v), 'must be an IP address or a DNS name');

export const tcpPort = z.number().int('must be an integer').min(1, 'must be 1-65535').max(65535, 'must be 1-65535');

/** A POSIX login name, as `useradd` accepts it by default. */
export const sshUser = z
  .string()
  .max(32, 'must be at most 32 characters')
  .regex(/^[a-z_][a-z0-9_-]*\$?$/, 'must be a login name ([a-z_][a-z0-9_-]*)');

/** Labels: a few short key/value pairs used to select nodes. */
const LABEL_KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$|^$/;
export const labels = z
  .record(
    z.string().regex(LABEL_KEY, 'label keys are lowercase [a-z0-9._/-], at most 63 characters'),
    z.string().regex(LABEL_VALUE, 'label values are [A-Za-z0-9._-], at most 63 characters'),
  )
  .refine((l) => Object.keys(l).length <= 32, 'at most 32 labels');

/** `pve-storage-id` (also ZFS pool names in the PVE API): at least 2 characters, `^[a-z][a-z0-9\-_.]*[a-z0-9]$`i. */
export const storageId = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(
    /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i,
    'must be a storage id: a letter, then letters, digits, - _ . (at least 2 characters, not ending in - _ .)',
  );

/** `pve-configid` (ACME account and plugin names): `^[a-z][a-z0-9_-]+$`i. */
export const configId = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z][a-z0-9_-]+$/i, 'must be an id: a letter, then letters, digits, _ or - (at least 2 characters)');

/** `dns-name`: dot-separated DNS labels. */
export const dnsName = z.string().refine(isDnsName, 'must be a DNS name');

/** `pve-acme-domain`: at least two labels of `[a-z0-9][a-z0-9_-]*`. */
export const acmeDomain = z
  .string()
  .max(253, 'must be at most 253 characters')
  .regex(/^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$/i, 'must be an ACME domain: at least two labels of letters, digits, _ and -');

/** An NTP server: an IP address or a DNS name. */
export const ntpServer = hostAddress;

/**
 * A block device by path, as `zpool create` takes it: `/dev/sdb`, `/dev/nvme0n1`, `/dev/disk/by-id/ata-…`.
 * No `..`, no spaces, nothing a shell would interpret.
 */
export const devicePath = z
  .string()
  .max(255, 'must be at most 255 characters')
  .regex(/^\/dev\/[A-Za-z0-9][A-Za-z0-9._:+@-]*(\/[A-Za-z0-9][A-Za-z0-9._:+@-]*)*$/, 'must be a device path under /dev')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ..');
