import { describe, expect, it } from 'vitest';
import { parseCluster } from './cluster';

// pve-commands.md §3.2, field sample from PVE 9.2.
const NOTES = `Cluster information
-------------------
Name:             labcluster
Config Version:   3
Transport:        knet
Secure auth:      on

Quorum information
------------------
Date:             Wed Aug 19 17:22:53 2026
Quorum provider:  corosync_votequorum
Nodes:            3
Node ID:          0x00000001
Ring ID:          1.685
Quorate:          Yes

Votequorum information
----------------------
Expected votes:   3
Highest expected: 3
Total votes:      3
Quorum:           2  
Flags:            Quorate 

Membership information
----------------------
    Nodeid      Votes Name
0x00000001          1 192.168.1.47 (local)
0x00000002          1 192.168.1.48
0x00000003          1 192.168.1.49
`;

// Simulator, pve1 after breakQuorum('lab').
const SIM_NO_QUORUM =
  'Cluster information\n-------------------\nName:             lab\nConfig Version:   3\nTransport:        knet\nSecure auth:      on\n\nQuorum information\n------------------\nDate:             Mon Nov 23 07:27:12 2026\nQuorum provider:  corosync_votequorum\nNodes:            1\nNode ID:          0x00000001\nRing ID:          1.686\nQuorate:          No\n\nVotequorum information\n----------------------\nExpected votes:   3\nHighest expected: 3\nTotal votes:      1\nQuorum:           2 Activity blocked\nFlags:            \n\nMembership information\n----------------------\n    Nodeid      Votes Name\n0x00000001          1 10.10.0.2 (local)';

// A two-node cluster with a QDevice (public field sample): extra Qdevice column and row.
const QDEVICE = `Votequorum information
----------------------
Expected votes:   3
Highest expected: 3
Total votes:      3
Quorum:           2  
Flags:            Quorate Qdevice 

Membership information
----------------------
    Nodeid      Votes    Qdevice Name
0x00000001          1    A,V,NMW 192.168.1.210 (local)
0x00000002          1    A,V,NMW 192.168.1.211
0x00000000          1            Qdevice
`;

describe('parseCluster', () => {
  it('reads the notes sample', () => {
    expect(parseCluster(NOTES)).toEqual({
      name: 'labcluster',
      quorate: true,
      expectedVotes: 3,
      totalVotes: 3,
      members: ['192.168.1.47', '192.168.1.48', '192.168.1.49'],
    });
  });

  it('reads a simulated node that lost quorum', () => {
    expect(parseCluster(SIM_NO_QUORUM)).toEqual({ name: 'lab', quorate: false, expectedVotes: 3, totalVotes: 1, members: ['10.10.0.2'] });
  });

  it('reads the QDevice layout and leaves the QDevice out of the members', () => {
    const text = `Cluster information\n-------------------\nName:             pve-cluster\n\nQuorum information\n------------------\nQuorate:          Yes\n\n${QDEVICE}`;
    expect(parseCluster(text)).toEqual({
      name: 'pve-cluster',
      quorate: true,
      expectedVotes: 3,
      totalVotes: 3,
      members: ['192.168.1.210', '192.168.1.211'],
    });
  });

  it('reads decimal node ids and names (pvecm nodes style rows)', () => {
    const text =
      'Quorate:          Yes\n\nMembership information\n----------------------\n    Nodeid      Votes Name\n         1          1 pve1 (local)\n         2          1 pve2\n';
    expect(parseCluster(text)?.members).toEqual(['pve1', 'pve2']);
  });

  it('is null when empty (standalone or no PVE) or unrecognisable', () => {
    expect(parseCluster('')).toBeNull();
    expect(parseCluster("Error: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?")).toBeNull();
  });
});
