export * from './desired-field';
export * from './desired-fields';
