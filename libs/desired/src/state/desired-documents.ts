import type { FieldMap, NodeSelector } from '@pvefleet/desired';

/** A profile as revisions store it and a restore copies it back. */
export interface ProfileDocument {
  name: string;
  description: string;
  selector: NodeSelector;
  priority: number;
  fields: FieldMap;
}

/** A node's override as revisions store it. */
export interface OverrideDocument {
  fields: FieldMap;
}

export type RevisionSubject = 'profile' | 'override';

/** A profile row as the services see it. */
export interface StoredProfile extends ProfileDocument {
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredOverride extends OverrideDocument {
  nodeId: number;
  revision: number;
  updatedAt: Date;
}

export interface StoredRevision {
  n: number;
  author: string;
  createdAt: Date;
  document: Record<string, unknown> | null;
  diff: unknown[];
}
