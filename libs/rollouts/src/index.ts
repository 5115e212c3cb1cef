export * from './migration-targets';
export * from './node-steps';
export * from './rollout-orchestrator';
export * from './rollout-planner';
export * from './rollout-store';
export * from './rollout.schemas';
export * from './rollouts.service';
