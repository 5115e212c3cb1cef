import { describe, expect, it } from 'vitest';
import { parseHa } from './ha';

// pve-outputs.md §6.3 field sample.
const NOTES = `quorum OK
master pve1 (active, Sat Oct  3 14:02:11 2026)
lrm pve1 (active, Sat Oct  3 14:02:12 2026)
lrm pve2 (active, Sat Oct  3 14:02:15 2026)
lrm pve3 (idle, Sat Oct  3 14:02:13 2026)
service ct:103 (pve2, started)
service vm:100 (pve1, started)
service vm:101 (pve1, started)
`;

// Simulator, pve2 right after `ha-manager crm-command node-maintenance enable pve2`.
const SIM_MAINTENANCE =
  'quorum OK\nmaster pve1 (active, Mon Nov 23 07:27:12 2026)\nlrm pve1 (active, Mon Nov 23 07:27:12 2026)\nlrm pve2 (maintenance mode, Mon Nov 23 07:27:12 2026)\nlrm pve3 (active, Mon Nov 23 07:27:12 2026)\nservice vm:100 (pve1, started)\nservice vm:103 (pve1, started)\nservice vm:106 (pve3, started)\n';

// 2026 builds (pve-commands §3.1, pve-outputs §6.3): watchdog detail in the LRM line, fencing line.
const NEW_FORM = `quorum OK
master pve1 (active, Sat Oct  3 14:02:11 2026)
fencing armed (CRM watchdog active)
lrm pve1 (active, watchdog active, Sat Oct  3 14:02:12 2026)
lrm pve2 (maintenance mode, watchdog released, Sat Oct  3 14:02:15 2026)
service vm:100 (pve1, migrate)
`;

describe('parseHa', () => {
  it('reads the notes sample for each node', () => {
    expect(parseHa(NOTES, 'pve3')).toEqual({
      quorumOk: true,
      masterNode: 'pve1',
      lrmState: 'idle',
      maintenance: false,
      services: [
        { sid: 'ct:103', node: 'pve2', state: 'started' },
        { sid: 'vm:100', node: 'pve1', state: 'started' },
        { sid: 'vm:101', node: 'pve1', state: 'started' },
      ],
    });
    expect(parseHa(NOTES, 'pve1')?.lrmState).toBe('active');
    expect(parseHa(NOTES, 'pve9')?.lrmState).toBeNull();
  });

  it('sees maintenance mode in the older wording (simulator)', () => {
    expect(parseHa(SIM_MAINTENANCE, 'pve2')).toMatchObject({ lrmState: 'maintenance mode', maintenance: true });
    expect(parseHa(SIM_MAINTENANCE, 'pve1')).toMatchObject({ lrmState: 'active', maintenance: false });
  });

  it('sees maintenance mode in the 2026 wording and ignores the fencing line', () => {
    expect(parseHa(NEW_FORM, 'pve2')).toEqual({
      quorumOk: true,
      masterNode: 'pve1',
      lrmState: 'maintenance mode',
      maintenance: true,
      services: [{ sid: 'vm:100', node: 'pve1', state: 'migrate' }],
    });
    expect(parseHa(NEW_FORM, 'pve1')?.lrmState).toBe('active');
  });

  it('reads dead, unreadable and unknown-node states', () => {
    const text =
      "quorum No quorum on node 'pve1'!\nlrm pve1 (old timestamp - dead?, Sat Oct  3 14:01:11 2026)\nlrm pve2 (unable to read lrm status)\nlrm pve3 (old timestamp - dead?)\nservice vm:300 (---, freeze)\nservice ct:400 (pve1, clearing error flag)\n";
    const ha = parseHa(text, 'pve1');
    expect(ha).toMatchObject({ quorumOk: false, masterNode: null, lrmState: 'old timestamp - dead?', maintenance: false });
    expect(ha?.services).toEqual([
      { sid: 'vm:300', node: '---', state: 'freeze' },
      { sid: 'ct:400', node: 'pve1', state: 'clearing error flag' },
    ]);
    expect(parseHa(text, 'pve2')?.lrmState).toBe('unable to read lrm status');
    expect(parseHa(text, 'pve3')?.lrmState).toBe('old timestamp - dead?');
  });

  it('reads a standalone node (simulator: quorum line only)', () => {
    expect(parseHa('quorum OK\n', 'pve-sa1')).toEqual({
      quorumOk: true,
      masterNode: null,
      lrmState: null,
      maintenance: false,
      services: [],
    });
  });

  it('is null when empty and ignores unknown lines', () => {
    expect(parseHa('', 'pve1')).toBeNull();
    expect(parseHa('something else\nlrm (\nservice x\n', 'pve1')).toEqual({
      quorumOk: false,
      masterNode: null,
      lrmState: null,
      maintenance: false,
      services: [],
    });
  });
});
