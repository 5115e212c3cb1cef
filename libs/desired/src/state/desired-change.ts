/**
 * Told after every change to a profile or an override (created, updated, deleted, restored), once
 * the change is committed: the drift side recomputes what it affects. Provided by the drift module;
 * the profile and override services use a no-op when nothing provides it.
 */
export interface DesiredStateChanged {
  changed(): Promise<void>;
}

export const DESIRED_STATE_CHANGED = Symbol('DESIRED_STATE_CHANGED');
