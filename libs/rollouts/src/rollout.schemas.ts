// The request schema lives in @pvefleet/contracts (rollouts.contract.ts); re-exported for the code that imports it here.
export { countOrPercent, rolloutRequestSchema, type CountOrPercent, type RolloutRequest } from '@pvefleet/contracts';
