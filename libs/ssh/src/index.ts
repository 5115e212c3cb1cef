export * from './host-key';
export * from './line-splitter';
export * from './ssh-connector';
export * from './ssh-errors';
export * from './ssh-pool';
export * from './ssh-session';
export * from './ssh.module';
