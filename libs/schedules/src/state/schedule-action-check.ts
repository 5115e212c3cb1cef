import { desiredField } from '@pvefleet/desired';
import { JobRegistry, SpecError, parseOrThrow } from '@pvefleet/jobs';
import type { StoredAction } from './schedule-documents';

/**
 * Refuses an action its own kind would refuse when the schedule fires, so a bad schedule is a 400
 * naming the field when it is saved and not a failed run at 3 a.m.: a job's params against its kind's
 * schema, a reconcile's fields against the desired-state fields, a rollout template's job params.
 */
export function checkAction(action: StoredAction, registry: JobRegistry): void {
  switch (action.kind) {
    case 'job': {
      const kind = registry.get(action.type);
      if (!kind)
        throw new SpecError([
          { field: 'action.type', message: `unknown task type '${action.type}' (known: ${registry.types.join(', ')})` },
        ]);
      parseOrThrow(kind.spec, action.params, 'action.params');
      return;
    }
    case 'reconcile': {
      const unknown = (action.fields ?? []).flatMap((key, i) => (desiredField(key) ? [] : [{ key, i }]));
      if (unknown.length) {
        throw new SpecError(unknown.map((u) => ({ field: `action.fields.${u.i}`, message: `'${u.key}' is not a desired-state field` })));
      }
      return;
    }
    case 'rollout': {
      const job = action.template.job as { type: string; params: unknown } | undefined;
      const kind = job && registry.get(job.type);
      if (job && kind) parseOrThrow(kind.spec, job.params, 'action.template.job.params');
      return;
    }
  }
}
