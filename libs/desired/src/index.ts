export * from './desired-field';
export * from './desired-fields';
export * from './selector';
export * from './merge';
export * from './conflicts';
export * from './documents';
export * from './revision-diff';
export * from './drift';
