/** pvefleet's Proxmox VE fleet simulator: the programmatic API. */
export { startSimulator, Simulator } from './simulator';
export type { NodeInfo } from './simulator';
export type { SimulatorOptions, ClusterSpec, StandaloneSpec, AuthOptions } from './options';
export type { CommandFaultSpec, CommandFaultAction, RebootBehaviour } from './faults/types';
export type { NodeState } from './control/state-view';
export { NotFoundError } from './control/operations';
