export * from './desired-field';
export * from './desired-fields';
export * from './selector';
export * from './merge';
export * from './drift';
