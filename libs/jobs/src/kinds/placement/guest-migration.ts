import { shellQuote } from '../../shell-quote';
import { guestName } from './cluster-resources';
import type { GuestMove } from './place-guests';

/**
 * The per-guest migration, run on the node the guest is on (pve-commands §3.1): a running VM moves
 * online, a running container by restart migration, a stopped guest offline. Every value comes from
 * parsed, validated output and is quoted all the same.
 */
export function migrateCommand(m: Pick<GuestMove, 'vmid' | 'type' | 'running' | 'to'>): string {
  const tool = m.type === 'qemu' ? 'qm' : 'pct';
  const mode = m.running ? (m.type === 'qemu' ? ' --online' : ' --restart') : '';
  return `${tool} migrate ${shellQuote(String(m.vmid))} ${shellQuote(m.to)}${mode}`;
}

/** One command for every move, stopping at the first that fails (`qm migrate` exits 255 then). */
export const migrateCommands = (moves: GuestMove[]): string | null => (moves.length ? moves.map(migrateCommand).join(' && ') : null);

/** `VM 101 pve1 → pve3`, for notes and failure texts. */
export const describeMove = (m: GuestMove): string => `${guestName(m)} ${m.from} → ${m.to}`;
