import type { StoredOverride, StoredProfile, StoredRevision } from './desired-documents';

/** The JSON forms the API answers with (libs/contracts/src/desired.contract.ts). */
export function toProfileView(p: StoredProfile) {
  return {
    name: p.name,
    description: p.description,
    selector: { ...p.selector },
    priority: p.priority,
    fields: p.fields,
    revision: p.revision,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function toRevisionView(r: StoredRevision) {
  return { n: r.n, author: r.author, createdAt: r.createdAt.toISOString(), document: r.document, diff: r.diff };
}

export function toOverrideView(node: string, o: StoredOverride) {
  return { node, fields: o.fields, revision: o.revision, updatedAt: o.updatedAt.toISOString() };
}
