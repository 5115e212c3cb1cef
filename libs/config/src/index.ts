export * from './app-config';
export * from './config-error';
export * from './config.module';
export * from './master-key';
export * from './close-on-signals';
export * from './process-logger';
export * from './clock';
