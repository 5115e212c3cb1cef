import { errorBody } from '@pvefleet/contracts';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { Stack } from '../support/stack';
import { TestFleet } from '../support/fleet';
import { refreshFacts } from '../support/rollouts';

/** What an attacker (or a typo) might put in any string: each must be refused before anything runs. */
const ATTEMPTS = [
  'a;touch /tmp/pwned',
  '$(id)',
  '`id`',
  'a\nb',
  "it's",
  '"quoted"',
  '../../etc/passwd',
  'x'.repeat(5_000),
  'a b',
  'a|b',
  'a&&b',
  '$HOME',
];

/** Fields only an InfluxDB metric server has: a graphite base would refuse them as unknown keys instead. */
const INFLUX_ONLY = ['influxdbproto', 'organization', 'bucket', 'apiPathPrefix'];

/**
 * A valid params object per kind, so each injected field is the only thing wrong; `path` picks the
 * variant of a union that has the field.
 */
const BASE: Partial<Record<string, (nodes: string[], path: (string | number)[]) => Record<string, unknown>>> = {
  aptupgrade: () => ({ reboot: 'if-required' }),
  aptrepos: () => ({ channel: 'no-subscription', suite: 'bookworm', ceph: { release: 'squid', channel: 'no-subscription' } }),
  ntp: () => ({ servers: ['ntp1.example.com', '10.0.0.1'] }),
  acmerenew: () => ({ domains: ['pve1.example.com'], account: 'default' }),
  acmenewcert: () => ({ domains: ['pve1.example.com'], account: 'default' }),
  zfscreate: () => ({
    name: 'tank',
    raidLevel: 'mirror',
    devices: ['/dev/sdb', '/dev/sdc'],
    compression: 'lz4',
    cache: ['/dev/sdd'],
    addStorage: true,
    storageId: 'tank',
    content: ['images'],
  }),
  hamaintenance: (nodes) => ({ node: nodes[0], enable: true }),
  migrateall: (nodes) => ({ target: nodes[1] }),
  evacuate: (nodes) => ({ targets: [nodes[1]] }),
  returnguests: () => ({ guests: [{ vmid: 100, type: 'qemu' }] }),
  cephflag: () => ({ flag: 'noout', set: true }),
  netconfig: () => ({
    bridges: [{ name: 'vmbr1', ports: ['eno2'], address: '10.10.10.2/24', gateway: '10.10.10.1', vlanAware: true, vids: '2-4094' }],
    bonds: [{ name: 'bond0', slaves: ['eno3'], mode: '802.3ad', xmitHashPolicy: 'layer2+3', address: '10.20.0.2/24' }],
    vlans: [{ name: 'vlan7', rawDevice: 'eno1', id: 7, address: '10.30.0.2/24' }],
  }),
  lvmthin: () => ({
    disk: '/dev/disk/by-id/ata-QEMU_HARDDISK_QM00007',
    vgName: 'vmdata',
    thinPool: 'data',
    size: '100G',
    storageId: 'vmdata',
  }),
  apthold: () => ({ hold: ['pve-manager'], unhold: ['proxmox-ve'] }),
  metricserver: (_nodes, path) =>
    INFLUX_ONLY.includes(String(path.at(-1)))
      ? {
          servers: [
            {
              type: 'influxdb',
              name: 'influx',
              server: '192.0.2.10',
              influxdbproto: 'https',
              organization: 'o',
              bucket: 'b',
              apiPathPrefix: '/x',
            },
          ],
        }
      : { servers: [{ type: 'graphite', name: 'graphite', server: '192.0.2.11', path: 'proxmox', proto: 'udp' }] },
  // Later arguments are quoted words by design; the program name is the string that must stay clean.
  exec: () => ({ argv: ['pveversion'], readOnly: true }),
};

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

/** Paths of every string-valued place in a params schema (array items as index 0). */
function stringPaths(schema: Schema, path: (string | number)[] = []): (string | number)[][] {
  const types = [schema.type].flat();
  if (types.includes('string') || (schema.enum && schema.enum.every((v) => typeof v === 'string'))) return [path];
  const out: (string | number)[][] = [];
  for (const [k, v] of Object.entries(schema.properties ?? {})) out.push(...stringPaths(v, [...path, k]));
  if (schema.items) out.push(...stringPaths(schema.items, [...path, 0]));
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) out.push(...stringPaths(alt, path));
  return out;
}

function setAt(obj: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (at[key] === undefined) at[key] = typeof path[path.indexOf(key) + 1] === 'number' ? [] : {};
    at = at[key] as Record<string | number, unknown>;
  }
  at[path.at(-1)!] = value;
  return copy;
}

describe('injection attempts in every string field of every job kind', () => {
  let stack: Stack;
  let fleet: TestFleet;
  let nodes: string[];
  let queue: Queue;
  let kinds: { type: string; params: Schema }[];

  beforeAll(async () => {
    [stack, fleet] = await Promise.all([Stack.start(), TestFleet.start({ nodes: 2 })]);
    nodes = await fleet.register(stack);
    await refreshFacts(stack, nodes);
    queue = new Queue('tasks', { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.PVEFLEET_REDIS_PREFIX });
    const { data } = await apiClient(stack).GET('/api/v1/job-kinds');
    if (!data) throw new Error('no job kinds');
    // The params schema is JSON schema (OpenAPI 3.0 form); this test reads only the parts `Schema` names.
    kinds = data.map((k) => ({ type: k.type, params: k.params }));
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await queue?.close();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- beforeAll may have failed before assigning them
    await Promise.all([stack?.stop(), fleet?.stop()]);
  });

  it('covers every kind with string params', () => {
    const withStrings = kinds.filter((k) => stringPaths(k.params).length).map((k) => k.type);
    expect(withStrings.sort()).toEqual(Object.keys(BASE).sort());
  });

  it('answers 400 naming the field, queues nothing and runs nothing on the node', { timeout: 120_000 }, async () => {
    const totalTasks = async () => {
      const { data } = await apiClient(stack).GET('/api/v1/tasks', { params: { query: { limit: 1 } } });
      if (!data) throw new Error('no task list');
      return data.total;
    };
    const before = await totalTasks();
    const execs = nodes.map((n) => fleet.sim.counters(n).execs);
    let checked = 0;
    for (const kind of kinds) {
      const baseFor = BASE[kind.type];
      if (!baseFor) continue;
      for (const path of stringPaths(kind.params)) {
        const base = baseFor(nodes, path);
        for (const attempt of ATTEMPTS) {
          const params = setAt(base, path, attempt);
          for (const [url, body] of [
            [`/nodes/${nodes[0]}/tasks`, { type: kind.type, params }],
            ['/tasks', { selector: { nodes }, type: kind.type, params }],
          ] as const) {
            const res = await stack.http.post(url, body);
            const where = `${kind.type} ${path.join('.')} = ${JSON.stringify(attempt).slice(0, 40)} via ${url}`;
            expect(res.status, `${where}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(400);
            expect(
              errorBody
                .parse(res.body)
                .errors?.map((e) => e.field)
                .join(' '),
              where,
            ).toContain(`params.${path.join('.')}`);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(await totalTasks()).toBe(before);
    const counts = await queue.getJobCounts('wait', 'delayed', 'active', 'prioritized');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    expect(nodes.map((n) => fleet.sim.counters(n).execs)).toEqual(execs);
  });
});
