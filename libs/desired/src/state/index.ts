// The desired-state services (profiles, overrides, revisions, drift, reconcile, facts refresh):
// Nest providers over Postgres. The pure domain they build on is `@pvefleet/desired`.
export * from './desired-change';
export * from './desired-documents';
export * from './desired-revision.repository';
export * from './desired-state.module';
export * from './desired-views';
export * from './node-desired.service';
export * from './node-override.repository';
export * from './profile.repository';
export * from './profiles.service';
export * from './drift-facts-observer';
export * from './drift-module';
export * from './drift-query.service';
export * from './drift-recompute';
export * from './drift-repository';
export * from './facts-refresh-round';
export * from './facts-refresh-scheduler';
export * from './facts-refresh-settings';
export * from './reconcile.service';
