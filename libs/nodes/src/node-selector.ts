export { nodeSelectorSchema, type NodeSelector } from '@pvefleet/contracts';
