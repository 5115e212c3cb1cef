export * from './error-class';
export * from './classified-error';
