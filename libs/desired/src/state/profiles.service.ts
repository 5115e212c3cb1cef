import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@pvefleet/db';
import { describeConflict, desiredFieldsSchema, profileConflicts } from '@pvefleet/desired';
import { parseOrThrow } from '@pvefleet/jobs';
import { DesiredChangeNotifier } from './desired-change-notifier';
import type { ProfileDocument, StoredProfile, StoredRevision } from './desired-documents';
import { DesiredRevisionRepository } from './desired-revision.repository';
import { ProfileRepository, type SaveKind } from './profile.repository';

/** Refuses a profile that another of the same priority could contradict on some node (409 naming both and the field). */
function refuseConflicts(doc: ProfileDocument, others: readonly ProfileDocument[]): void {
  const conflicts = profileConflicts(doc, others);
  if (conflicts.length) throw new ConflictError(conflicts.map(describeConflict).join('; '));
}

/** Profiles: saved with their conflict check and revision, every change then told to the drift side. */
@Injectable()
export class ProfilesService {
  constructor(
    @Inject(ProfileRepository) private readonly profiles: ProfileRepository,
    @Inject(DesiredRevisionRepository) private readonly revisionRepo: DesiredRevisionRepository,
    @Inject(DesiredChangeNotifier) private readonly notifier: DesiredChangeNotifier,
  ) {}

  create(doc: ProfileDocument, author: string): Promise<StoredProfile> {
    return this.save('create', doc, author);
  }

  update(doc: ProfileDocument, author: string): Promise<StoredProfile> {
    return this.save('update', doc, author);
  }

  async remove(name: string, author: string): Promise<void> {
    await this.profiles.remove(name, author);
    await this.notifier.changed(`deleting profile '${name}'`);
  }

  async get(name: string): Promise<StoredProfile> {
    const p = await this.profiles.find(name);
    if (!p) throw new NotFoundError(`profile '${name}' does not exist`);
    return p;
  }

  list(start: number, limit: number): Promise<{ data: StoredProfile[]; total: number }> {
    return this.profiles.page(start, limit);
  }

  /** Newest first; a deleted profile keeps its history. */
  async revisions(name: string, start: number, limit: number): Promise<{ data: StoredRevision[]; total: number }> {
    const page = await this.revisionRepo.page('profile', name, start, limit);
    if (page.total === 0) throw new NotFoundError(`profile '${name}' does not exist`);
    return page;
  }

  /**
   * Makes revision `n` current again as a new revision (history is never rewritten); a deleted
   * profile comes back. The old document is checked as a new save would be: against today's field
   * schemas and today's other profiles.
   */
  async restore(name: string, n: number, author: string): Promise<StoredProfile> {
    const rev = await this.revisionRepo.find('profile', name, n);
    if (!rev) throw new NotFoundError(`profile '${name}' has no revision ${n}`);
    if (!rev.document) throw new ConflictError(`revision ${n} of profile '${name}' deleted it: restore a revision before it`);
    const old = rev.document as unknown as ProfileDocument;
    const doc: ProfileDocument = {
      name,
      description: old.description,
      selector: old.selector,
      priority: old.priority,
      fields: parseOrThrow(desiredFieldsSchema, old.fields, `revision ${n}: fields`),
    };
    return this.save('restore', doc, author);
  }

  private async save(kind: SaveKind, doc: ProfileDocument, author: string): Promise<StoredProfile> {
    const saved = await this.profiles.save(kind, doc, author, refuseConflicts);
    await this.notifier.changed(`profile '${doc.name}' (revision ${saved.revision})`);
    return saved;
  }
}
