// The worker's entry point of @pvefleet/nodes: reaching a node over SSH. The API imports only '@pvefleet/nodes'.
export * from './node-access';
export * from './node-access.module';
