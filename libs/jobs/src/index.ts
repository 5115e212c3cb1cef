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
// Host settings: the specs and read-back helpers their desired-state fields are built from.
export { swappinessSpec, swappinessValue } from './kinds/swappiness/swappiness-spec';
export { SWAPPINESS_FILE, bootSetting } from './kinds/swappiness/swappiness-file';
export { zfsArcSpec, zfsArcMaxValue, arcSize } from './kinds/zfsarc/zfsarc-spec';
export { aptHoldSpec, packageList, debianPackageName } from './kinds/apthold/apthold-spec';
export { metricServerSpec, metricServerList, type MetricServer } from './kinds/metricserver/metricserver-spec';
export { metricServersDiffer, sectionOf, STATUS_CFG } from './kinds/metricserver/status-cfg-file';
export { netconfigSpec, type NetconfigSpec } from './kinds/netconfig/netconfig-spec';
export { networkView, networkChanges, type NetworkView, type IfaceView } from './kinds/netconfig/network-view';
// LVM-thin pools: the spec the desired-state field is built from, and the size LVM allocates for it.
export { lvmThinParams, allocatedBytes, type LvmThinSpec } from './kinds/lvmthin/lvmthin-params';
export * from './jobs.module';
