import type { CapturedOutput } from '../../job-kind';

export interface GuestRow {
  vmid: number;
  type: 'qemu' | 'lxc';
  name: string;
  status: string;
}

const QM_HEADER = /^\s*VMID\s+NAME\s+STATUS\b/;
const PCT_HEADER = /^VMID\s+Status\s+Lock\s+Name\b/;

/**
 * `qm list` and `pct list`, one after the other (pve-outputs §6.1, §6.2). Each prints nothing at all
 * without guests, so its header says whose rows follow. qm: `VMID NAME STATUS MEM BOOTDISK PID`;
 * pct: `VMID Status [Lock] Name`, the lock column empty for most containers.
 */
export function parseGuestLists(text: string): GuestRow[] {
  const guests: GuestRow[] = [];
  let type: GuestRow['type'] | undefined;
  for (const line of text.split('\n')) {
    if (QM_HEADER.test(line)) type = 'qemu';
    else if (PCT_HEADER.test(line)) type = 'lxc';
    else if (type) {
      const f = line.trim().split(/\s+/);
      if (f.length < 3 || !/^\d+$/.test(f[0])) continue;
      guests.push(
        type === 'qemu'
          ? { vmid: Number(f[0]), type, name: f[1], status: f[2] }
          : { vmid: Number(f[0]), type, name: f[f.length - 1], status: f[1] },
      );
    }
  }
  return guests.sort((a, b) => a.vmid - b.vmid);
}

/** `VM 101 (running)` / `CT 105 (running)`. */
export const guestLabel = (g: GuestRow): string => `${g.type === 'qemu' ? 'VM' : 'CT'} ${g.vmid} (${g.status})`;

/** Guests that keep a node from being upgraded or rebooted: those still running on it. */
export const runningGuests = (guests: GuestRow[]): GuestRow[] => guests.filter((g) => g.status === 'running');

/** The guest lists read as a wait's problems: the guests still running here, and what that means for the task. */
export function stillRunningHere(consequence: string): (out: CapturedOutput) => string[] {
  return (out) => {
    const running = runningGuests(parseGuestLists(out.stdout));
    return running.length ? [`still running here: ${running.map(guestLabel).join(', ')}; ${consequence}`] : [];
  };
}
