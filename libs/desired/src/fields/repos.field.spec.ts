import { parseOrThrow, type SourceFile } from '@pvefleet/jobs';
import { describe, expect, it } from 'vitest';
import { pveNodeFacts } from '../../../jobs/src/testing/node-facts.fixture';
import { reposField } from './repos.field';

const D = '/etc/apt/sources.list.d';
const sources = (pve: string, ceph?: string): SourceFile[] => [
  { path: '/etc/apt/sources.list', content: 'deb http://deb.debian.org/debian bookworm main contrib\n' },
  { path: `${D}/pve-enterprise.list`, content: '# deb https://enterprise.proxmox.com/debian/pve bookworm pve-enterprise\n' },
  { path: `${D}/pve.list`, content: `deb http://download.proxmox.com/debian/pve bookworm ${pve}\n` },
  ...(ceph ? [{ path: `${D}/ceph.list`, content: `deb http://download.proxmox.com/debian/ceph-reef bookworm ${ceph}\n` }] : []),
];
const facts = (pve: string, ceph?: string) => pveNodeFacts(8, { aptSources: sources(pve, ceph) });
const value = (v: unknown) => parseOrThrow(reposField.schema, v, 'fields.repos.value');
const now = Date.UTC(2026, 10, 1);

describe('repos field', () => {
  it('validates with aptrepos own schema, errors under fields.repos.value', () => {
    expect(value({ channel: 'no-subscription' })).toEqual({ channel: 'no-subscription' });
    expect(() => value({ channel: 'free' })).toThrow(/fields\.repos\.value\.channel/);
    expect(() => value({ channel: 'test', suite: 'trixie' })).toThrow(/fields\.repos\.value\.suite: unknown field/);
  });

  it('observes the enabled PVE and Ceph channels; unknown on a node without PVE', () => {
    expect(reposField.observe?.(facts('pve-no-subscription', 'no-subscription'))).toEqual({
      pve: 'no-subscription',
      ceph: { release: 'reef', channel: 'no-subscription' },
    });
    expect(reposField.observe?.(facts('pvetest'))).toEqual({ pve: 'test', ceph: null });
    expect(reposField.observe?.({ ...facts('pvetest'), pveversion: null })).toBeNull();
  });

  it('differs when the PVE or the declared Ceph channel is another', () => {
    const d = (
      v: Parameters<NonNullable<typeof reposField.differs>>[0],
      o: Parameters<NonNullable<typeof reposField.differs>>[1],
      t: number,
    ) => reposField.differs?.(v, o, t);
    expect(d(value({ channel: 'no-subscription' }), { pve: 'no-subscription', ceph: null }, now)).toBeUndefined();
    expect(d(value({ channel: 'no-subscription' }), { pve: 'test', ceph: null }, now)).toBe('PVE channel is test, wants no-subscription');
    expect(
      d(
        value({ channel: 'test', ceph: { release: 'reef', channel: 'test' } }),
        { pve: 'test', ceph: { release: 'reef', channel: 'no-subscription' } },
        now,
      ),
    ).toBe('Ceph repository is reef no-subscription, wants reef test');
  });

  it('fixes with one aptrepos task, none when compliant', () => {
    expect(reposField.fix?.(value({ channel: 'test' }), facts('pve-no-subscription'))).toEqual([
      { type: 'aptrepos', params: { channel: 'test' } },
    ]);
    expect(reposField.fix?.(value({ channel: 'no-subscription' }), facts('pve-no-subscription'))).toEqual([]);
  });
});
