export * from './credentials';
export * from './node-access';
export * from './node.schemas';
export * from './node.view';
export * from './nodes.service';
export * from './node-selector';
export * from './node-summary';
