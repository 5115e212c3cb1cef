import { describe, expect, it } from 'vitest';
import { SpecError, parseOrThrow } from '../../spec-error';
import { zfsCreateParams } from './zfscreate-params';

const base = { name: 'tank', raidLevel: 'mirror', devices: ['/dev/sdb', '/dev/sdc'] };

/** The field → message pairs a spec is rejected with (empty when it parses). */
function problems(patch: Record<string, unknown>): Record<string, string> {
  try {
    parseOrThrow(zfsCreateParams, { ...base, ...patch }, 'params');
    return {};
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    return Object.fromEntries(err.errors.map((e) => [e.field, e.message]));
  }
}

describe('zfscreate params', () => {
  it('fills in PVE defaults: ashift 12, compression on, no cache or log, no storage', () => {
    expect(zfsCreateParams.parse(base)).toEqual({
      ...base,
      ashift: 12,
      compression: 'on',
      cache: [],
      log: [],
      force: false,
      ignoreSmart: false,
      addStorage: false,
    });
  });

  it.each([
    ['1tank', /storage id/],
    ['t', /storage id/],
    ['tank-', /storage id/],
    ['ta/nk', /storage id/],
    ['tank;reboot', /storage id/],
    ['$(id)', /storage id/],
    ['a'.repeat(65), /at most 64/],
    ['mirror1', /reserved by ZFS: pool names must not begin with 'mirror'/],
    ['raidz', /must not begin with 'raidz'/],
    ['draid2pool', /must not begin with 'draid'/],
    ['spares', /must not begin with 'spare'/],
    ['log', /must not be named 'log'/],
    ['c0d0', /look like disk names/],
    ['c9', /look like disk names/],
  ])('rejects the pool name %j', (name, message) => {
    expect(problems({ name })['params.name']).toMatch(message);
  });

  it.each(['tank', 'Mirror1', 'logs', 'cache', 'c-pool', 'ca0', 'rpool2', 'z.data_1'])('accepts the pool name %j', (name) => {
    expect(problems({ name })).toEqual({});
  });

  it.each([
    ['single', ['/dev/sdb', '/dev/sdc'], 'please give only one disk for single disk mode'],
    ['mirror', ['/dev/sdb'], 'mirror needs at least 2 disks'],
    ['raid10', ['/dev/sdb', '/dev/sdc'], 'raid10 needs at least 4 disks'],
    ['raid10', ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde', '/dev/sdf'], 'raid10 needs an even number of disks'],
    ['raidz', ['/dev/sdb', '/dev/sdc'], 'raidz needs at least 3 disks'],
    ['raidz2', ['/dev/sdb', '/dev/sdc', '/dev/sdd'], 'raidz2 needs at least 4 disks'],
    ['raidz3', ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde'], 'raidz3 needs at least 5 disks'],
  ])('%s with %j disks: %s', (raidLevel, devices, message) => {
    expect(problems({ raidLevel, devices })).toEqual({ 'params.devices': message });
  });

  it.each([
    ['single', 1],
    ['mirror', 2],
    ['raid10', 4],
    ['raidz', 3],
    ['raidz2', 4],
    ['raidz3', 5],
  ])('%s takes %i disks', (raidLevel, n) => {
    const devices = ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde', '/dev/sdf'].slice(0, n);
    expect(problems({ raidLevel, devices })).toEqual({});
  });

  it('rejects unknown raid levels, an empty device list and unknown fields', () => {
    expect(Object.keys(problems({ raidLevel: 'raid5' }))).toEqual(['params.raidLevel']);
    expect(problems({ devices: [] })['params.devices']).toBeDefined();
    expect(problems({ color: 'red' })).toEqual({ 'params.color': 'unknown field' });
  });

  it.each([
    '/dev/sdb;reboot',
    '/dev/$(id)',
    '/dev/`id`',
    '/dev/sdb\n',
    "/dev/sd'b",
    '/dev/../etc/passwd',
    'sdb',
    '/dev/sd b',
    `/dev/${'a'.repeat(300)}`,
  ])('rejects the device %j in every list', (dev) => {
    expect(Object.keys(problems({ devices: ['/dev/sdb', dev] }))).toContain('params.devices.1');
    expect(Object.keys(problems({ cache: [dev] }))).toContain('params.cache.0');
    expect(Object.keys(problems({ log: [dev] }))).toContain('params.log.0');
  });

  it('lists a device once across devices, cache and log', () => {
    expect(problems({ devices: ['/dev/sdb', '/dev/sdb'] })).toEqual({
      'params.devices.1': '/dev/sdb is already listed as params.devices.0',
    });
    expect(problems({ cache: ['/dev/sdc'], log: ['/dev/nvme0n1', '/dev/nvme0n1'] })).toEqual({
      'params.cache.0': '/dev/sdc is already listed as params.devices.1',
      'params.log.1': '/dev/nvme0n1 is already listed as params.log.0',
    });
  });

  it('ashift 9-16 as an integer; compression from PVE’s list', () => {
    for (const ashift of [9, 12, 16]) expect(problems({ ashift })).toEqual({});
    for (const ashift of [8, 17, 12.5, '12']) expect(Object.keys(problems({ ashift }))).toEqual(['params.ashift']);
    for (const compression of ['on', 'off', 'gzip', 'lz4', 'lzjb', 'zle', 'zstd']) expect(problems({ compression })).toEqual({});
    for (const compression of ['gzip-9', 'zstd-fast', 'lz4;id', ''])
      expect(Object.keys(problems({ compression }))).toEqual(['params.compression']);
  });

  it('storage: storageId and content only with addStorage; zfspool content is images and rootdir', () => {
    expect(problems({ addStorage: true, storageId: 'vmdata', content: ['images'] })).toEqual({});
    expect(problems({ storageId: 'vmdata', content: ['images'] })).toEqual({
      'params.storageId': 'only with addStorage: true',
      'params.content': 'only with addStorage: true',
    });
    expect(problems({ addStorage: true, content: ['iso'] })).toEqual({
      'params.content.0': 'zfspool storage holds only images and rootdir',
    });
    expect(problems({ addStorage: true, content: ['images', 'images'] })).toEqual({ 'params.content': 'lists a content type twice' });
    expect(Object.keys(problems({ addStorage: true, storageId: 'vm data' }))).toEqual(['params.storageId']);
    expect(Object.keys(problems({ addStorage: 'yes' }))).toEqual(['params.addStorage']);
  });
});
