export * from './formats';
export * from './job-kind';
export * from './job-catalog';
export * from './job-registry';
export * from './node-facts';
export * from './shell-quote';
export * from './spec-error';
export * from './task-type';
export { factsJob } from './kinds/facts/facts.job';
export { describeFacts } from './kinds/facts/facts-summary';
export { currentChannels } from './kinds/aptrepos/current-channels';
export { compareVersions, sortVersions } from './kinds/facts/parse/version-sort';
export type { GuestMove } from './kinds/placement/place-guests';
// LVM-thin pools: the spec the desired-state field is built from, and the size LVM allocates for it.
export { lvmThinParams, allocatedBytes, type LvmThinSpec } from './kinds/lvmthin/lvmthin-params';
export * from './jobs.module';
