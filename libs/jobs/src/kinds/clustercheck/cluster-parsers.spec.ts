import { describe, expect, it } from 'vitest';
import { cephHealthProblem, parseCephStatus, uncleanPgsProblem } from './ceph-status';
import { parseClusterStatus } from './cluster-status';
import { parseHaMaster } from './ha-master';
import { sectionScript, sectionScriptStep, splitSections } from './section-script';

// pve-outputs §9.1 (constructed from the source's key set): pve3 offline, hash order.
const CLUSTER_STATUS =
  '[{"id":"cluster","name":"labcluster","nodes":3,"quorate":1,"type":"cluster","version":3},{"id":"node/pve2","ip":"192.168.1.48","level":"","local":0,"name":"pve2","nodeid":2,"online":1,"type":"node"},{"id":"node/pve1","ip":"192.168.1.47","level":"","local":1,"name":"pve1","nodeid":1,"online":1,"type":"node"},{"id":"node/pve3","ip":"192.168.1.49","local":0,"name":"pve3","nodeid":3,"online":0,"type":"node"}]\n';

// pve-outputs §4.2 (constructed): pve3 rebooting with noout set; stdout starts with an empty line.
const CEPH_WARN =
  '\n{"fsid":"9f3c2b1a-6d4e-4c8b-a1f2-3e5d7c9b0a11","health":{"status":"HEALTH_WARN","checks":{"MON_DOWN":{"severity":"HEALTH_WARN","summary":{"message":"1/3 mons down, quorum pve1,pve2","count":1},"muted":false},"OSDMAP_FLAGS":{"severity":"HEALTH_WARN","summary":{"message":"noout flag(s) set","count":1},"muted":false},"OSD_DOWN":{"severity":"HEALTH_WARN","summary":{"message":"2 osds down","count":2},"muted":false},"OSD_HOST_DOWN":{"severity":"HEALTH_WARN","summary":{"message":"1 host (2 osds) down","count":1},"muted":false},"PG_DEGRADED":{"severity":"HEALTH_WARN","summary":{"message":"Degraded data redundancy: 3404/10212 objects degraded (33.333%), 86 pgs degraded, 86 pgs undersized","count":172},"muted":false}},"mutes":[]},"election_epoch":58,"quorum":[0,1],"quorum_names":["pve1","pve2"],"quorum_age":41,"monmap":{"epoch":3,"min_mon_release_name":"squid","num_mons":3},"osdmap":{"epoch":412,"num_osds":6,"num_up_osds":4,"osd_up_since":1773133771,"num_in_osds":6,"osd_in_since":1771318000,"num_remapped_pgs":0},"pgmap":{"pgs_by_state":[{"state_name":"active+undersized+degraded","count":86},{"state_name":"active+clean","count":43}],"num_pgs":129,"num_pools":2,"num_objects":3404,"data_bytes":13958643712,"bytes_used":28991029248,"bytes_avail":5729395703808,"bytes_total":5758386733056,"degraded_objects":3404,"degraded_total":10212,"degraded_ratio":0.33333333333333331},"fsmap":{"epoch":1,"by_rank":[],"up:standby":0},"mgrmap":{"available":true,"num_standbys":1,"modules":["iostat","nfs","restful"],"services":{}},"servicemap":{"epoch":7,"modified":"2026-03-10T09:09:31.553402+0000","services":{}},"progress_events":{}}\n';

describe('parseClusterStatus', () => {
  it('reads the cluster entry and every member, sorted by name', () => {
    expect(parseClusterStatus(CLUSTER_STATUS)).toEqual({
      cluster: { name: 'labcluster', quorate: true, nodes: 3 },
      nodes: [
        { name: 'pve1', nodeid: 1, online: true, local: true },
        { name: 'pve2', nodeid: 2, online: true, local: false },
        { name: 'pve3', nodeid: 3, online: false, local: false },
      ],
    });
  });

  it('reads a standalone node (its only entry) and rejects what is not the list', () => {
    const standalone = '[{"id":"node/pve-sa1","ip":"10.0.0.9","level":"","local":1,"name":"pve-sa1","nodeid":0,"online":1,"type":"node"}]';
    expect(parseClusterStatus(standalone)).toEqual({ cluster: null, nodes: [{ name: 'pve-sa1', nodeid: 0, online: true, local: true }] });
    expect(parseClusterStatus('')).toBeNull();
    expect(parseClusterStatus('{"id":"cluster"}')).toBeNull();
  });
});

describe('parseCephStatus', () => {
  it('reads health checks in code order, OSD and PG counts', () => {
    const s = parseCephStatus(CEPH_WARN)!;
    expect(s.health).toBe('HEALTH_WARN');
    expect(s.checks.map((c) => c.code)).toEqual(['MON_DOWN', 'OSDMAP_FLAGS', 'OSD_DOWN', 'OSD_HOST_DOWN', 'PG_DEGRADED']);
    expect(s.osds).toEqual({ total: 6, up: 4, in: 6 });
    expect(s.pgs.total).toBe(129);
    expect(cephHealthProblem(s)).toBe(
      'ceph is HEALTH_WARN: 1/3 mons down, quorum pve1,pve2; noout flag(s) set; 2 osds down; 1 host (2 osds) down; Degraded data redundancy: 3404/10212 objects degraded (33.333%), 86 pgs degraded, 86 pgs undersized',
    );
    expect(uncleanPgsProblem(s)).toBe('86 of 129 placement groups are not active+clean (86 active+undersized+degraded)');
  });

  it('is quiet about a healthy cluster, skips muted checks and reads the old nested osdmap', () => {
    const ok =
      '\n{"health":{"status":"HEALTH_OK","checks":{},"mutes":[]},"osdmap":{"osdmap":{"num_osds":3,"num_up_osds":3,"num_in_osds":3}},"pgmap":{"pgs_by_state":[{"state_name":"active+clean","count":64}],"num_pgs":64}}\n';
    const s = parseCephStatus(ok)!;
    expect(cephHealthProblem(s)).toBeUndefined();
    expect(uncleanPgsProblem(s)).toBeUndefined();
    expect(s.osds).toEqual({ total: 3, up: 3, in: 3 });
    const muted = '{"health":{"status":"HEALTH_WARN","checks":{"X":{"severity":"HEALTH_WARN","summary":{"message":"m"},"muted":true}}}}';
    expect(parseCephStatus(muted)!.checks).toEqual([]);
  });

  it('is null for what is not ceph status', () => {
    expect(parseCephStatus('')).toBeNull();
    expect(
      parseCephStatus("Error initializing cluster client: ObjectNotFound('RADOS object not found (error calling conf_read_file)')"),
    ).toBeNull();
  });
});

describe('parseHaMaster', () => {
  it('reads the master line in both wordings and is null without one', () => {
    expect(parseHaMaster('quorum OK\nmaster pve1 (active, Sat Oct  3 14:02:11 2026)\n')).toEqual({ node: 'pve1', state: 'active' });
    expect(parseHaMaster('quorum OK\nmaster pve2 (old timestamp - dead?, Sat Oct  3 14:02:11 2026)\n')).toEqual({
      node: 'pve2',
      state: 'old timestamp - dead?',
    });
    expect(parseHaMaster('quorum OK\n')).toBeNull();
  });
});

describe('section script', () => {
  it('frames each command with its exit code and always ends with true', () => {
    const script = sectionScript([
      { name: 'a', command: 'pvecm status' },
      { name: 'b', command: 'ceph -s', onlyIf: '[ -e /etc/pve/ceph.conf ]' },
    ]);
    expect(script).toBe(
      `echo '@@pvefleet:begin a'; pvecm status; echo "@@pvefleet:end a $?"\nif [ -e /etc/pve/ceph.conf ]; then echo '@@pvefleet:begin b'; ceph -s; echo "@@pvefleet:end b $?"; fi\ntrue`,
    );
  });

  it('splits output back, keeping a section cut off mid-way', () => {
    const parts = splitSections('@@pvefleet:begin a\nx\ny\n@@pvefleet:end a 2\n@@pvefleet:begin b\nz');
    expect(parts.get('a')).toEqual({ stdout: 'x\ny', exitCode: 2 });
    expect(parts.get('b')).toEqual({ stdout: 'z', exitCode: null });
    expect(parts.has('c')).toBe(false);
  });

  it('logs as its commands, with headings instead of markers and an end line only for a failure', () => {
    const step = sectionScriptStep([
      { name: 'a', command: 'pvecm status' },
      { name: 'b', command: 'ceph -s' },
    ]);
    expect(step.logAs).toBe('read-only script: pvecm status; ceph -s');
    const shown = '@@pvefleet:begin a\nQuorate: Yes\n@@pvefleet:end a 0\n@@pvefleet:begin b\n@@pvefleet:end b 2'
      .split('\n')
      .map((l) => step.logLine!(l));
    expect(shown).toEqual(['== a ==', 'Quorate: Yes', null, '== b ==', '(b: exit code 2)']);
  });
});
