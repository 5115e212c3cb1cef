// The desired-state services (profiles, overrides, revisions, drift, reconcile, facts refresh):
// Nest providers over Postgres. The pure domain they build on is `@pvefleet/desired`.
export * from './desired-change';
