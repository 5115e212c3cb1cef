import { z } from 'zod';
import { configId, hostAddress, tcpPort } from '../../formats';

/** Graphite's root path (PVE's `graphite-path`): dot-separated words, e.g. `proxmox.mycluster`. */
const graphitePath = z
  .string()
  .max(255, 'must be at most 255 characters')
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be a graphite path: dot-separated words of letters, digits, _ and -');

/** InfluxDB organization and bucket names: one word (a status.cfg value ends at the line's end). */
const influxName = z
  .string()
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, . _ - (starting with a letter or digit)');

const common = {
  /** The section's id in status.cfg (PVE's `pve-configid`). */
  name: configId,
  server: hostAddress,
  port: tcpPort.optional(),
  mtu: z.number().int('must be an integer').min(512, 'must be 512-65536').max(65536, 'must be 512-65536').optional(),
  disable: z.boolean().optional(),
  timeout: z.number().int('must be an integer').min(0, 'must be 0-3600').max(3600, 'must be 0-3600').optional(),
};

/** `graphite: NAME` (PVE's Graphite plugin): server, port (2003), path (proxmox), proto udp|tcp. */
export const graphiteServer = z.strictObject({
  type: z.literal('graphite'),
  ...common,
  path: graphitePath.optional(),
  proto: z.enum(['udp', 'tcp']).optional(),
});

/**
 * `influxdb: NAME` (PVE's InfluxDB plugin): server, port, influxdbproto udp|http|https and, for the HTTP
 * API, organization, bucket, api-path-prefix, max-body-size, verify-certificate. The API token is a
 * secret PVE keeps under /etc/pve/priv/metricserver/, set there by hand: pvefleet neither stores nor writes it.
 */
export const influxdbServer = z.strictObject({
  type: z.literal('influxdb'),
  ...common,
  influxdbproto: z.enum(['udp', 'http', 'https']).optional(),
  organization: influxName.optional(),
  bucket: influxName.optional(),
  apiPathPrefix: z
    .string()
    .max(255, 'must be at most 255 characters')
    // Segments never start with a dot, so no `..` climbs out of the InfluxDB API's path.
    .regex(
      /^\/?[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\/?$/,
      'must be a URL path: /-separated words of letters, digits, . _ - (none starting with a dot)',
    )
    .optional(),
  maxBodySize: z
    .number()
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(2 ** 31 - 1, 'must be at most 2147483647')
    .optional(),
  verifyCertificate: z.boolean().optional(),
});

export const metricServer = z.discriminatedUnion('type', [graphiteServer, influxdbServer]);
export type MetricServer = z.infer<typeof metricServer>;

/** Every external metric server of the cluster, with distinct names: status.cfg holds exactly these. */
export const metricServerList = z
  .array(metricServer)
  .max(32, 'at most 32 servers')
  .superRefine((servers, ctx) => {
    servers.forEach((s, i) => {
      if (servers.findIndex((o) => o.name === s.name) < i)
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate name '${s.name}'` });
    });
  });

/** What a `metricserver` task writes: /etc/pve/status.cfg, cluster-wide, with these servers and no others. */
export const metricServerSpec = z.strictObject({ servers: metricServerList });

export type MetricServerSpec = z.infer<typeof metricServerSpec>;
