import type { Disk } from './disks';
import type { SimNode } from './node';

/**
 * A disk's S.M.A.R.T. condition: `failing` fails the health self-assessment, `disabled` has SMART
 * switched off (`smartctl -s on` enables it), `unavailable` is a device without SMART at all.
 */
export type SmartState = 'healthy' | 'failing' | 'disabled' | 'unavailable';

export const SMART_STATES: readonly SmartState[] = ['healthy', 'failing', 'disabled', 'unavailable'];

/** The control API's setting, else the start options' (`smart: { node: { disk: state } }`), else healthy. */
export function smartState(node: SimNode, disk: Disk): SmartState {
  const configured = node.sim.options.smart[node.name] as Record<string, SmartState | undefined> | undefined;
  return node.smartOverrides?.get(disk.name) ?? configured?.[disk.name] ?? 'healthy';
}

export function setSmartState(node: SimNode, disk: Disk, state: SmartState): void {
  if (disk.kind === 'nvme' && (state === 'disabled' || state === 'unavailable'))
    throw new Error(`${disk.name} is NVMe: its SMART/Health log cannot be switched off (healthy or failing only)`);
  (node.smartOverrides ??= new Map()).set(disk.name, state);
}
