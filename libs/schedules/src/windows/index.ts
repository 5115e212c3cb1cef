export * from './expected-duration';
export * from './wall-clock';
export * from './window-openings';
export * from './window-rrule';
export * from './window-types';
export * from './window-verdict';
export * from './batch-opening';
