export * from './formats';
export * from './job-kind';
export * from './job-registry';
export * from './node-facts';
export * from './shell-quote';
export * from './spec-error';
export { factsJob } from './kinds/facts/facts.job';
export { currentChannels } from './kinds/aptrepos/current-channels';
