export * from './master-key';
export * from './secret-box';
export * from './secrets.module';
