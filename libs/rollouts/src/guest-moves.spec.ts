import { describe, expect, it } from 'vitest';
import { evacuatedGuests, guestWhereabouts } from './guest-moves';

const move = (vmid: number, from: string, to: string) => ({ vmid, type: 'qemu' as const, name: `vm-${vmid}`, running: true, from, to });
const results: Record<string, Record<string, unknown>> = {
  e1: { moved: [move(101, 'pve1', 'pve2')] },
  e1again: { moved: [move(102, 'pve1', 'pve3')] },
  r1: { returned: [{ vmid: 102 }], alreadyHere: [] },
  e2: { moved: [move(201, 'pve2', 'pve3'), move(101, 'pve2', 'pve3')] },
};
const resultOf = (upid: string) => results[upid];

describe('guest moves of a rollout', () => {
  it('a re-run evacuation adds to what the first recorded', () => {
    const tasks = [
      { step: 'evacuate' as const, upid: 'e1' },
      { step: 'evacuate' as const, upid: 'e1again' },
      { step: 'upgrade' as const, upid: 'u' },
    ];
    expect(evacuatedGuests(tasks, resultOf).map((m) => m.vmid)).toEqual([101, 102]);
  });

  it('shows for every guest where it was, where it went and where it is now', () => {
    const view = guestWhereabouts(
      [
        {
          node: 'pve1',
          tasks: [
            { step: 'evacuate', upid: 'e1' },
            { step: 'evacuate', upid: 'e1again' },
            { step: 'return', upid: 'r1' },
          ],
        },
        { node: 'pve2', tasks: [{ step: 'evacuate', upid: 'e2' }] },
      ],
      resultOf,
    );
    expect(view.get('pve1')).toEqual([
      // Not brought back (returnGuests off for it, say), then moved on by pve2's evacuation.
      { vmid: 101, type: 'qemu', name: 'vm-101', from: 'pve1', to: 'pve2', returned: false, now: 'pve3' },
      { vmid: 102, type: 'qemu', name: 'vm-102', from: 'pve1', to: 'pve3', returned: true, now: 'pve1' },
    ]);
    expect(view.get('pve2')!.map((g) => [g.vmid, g.now, g.returned])).toEqual([
      [101, 'pve3', false],
      [201, 'pve3', false],
    ]);
  });
});
