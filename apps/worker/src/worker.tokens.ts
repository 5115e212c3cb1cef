// This worker's id: the one TaskRunnerModule provides (the rollout scheduler leases rollouts under it too).
export { WORKER_ID } from '@pvefleet/tasks/run';
