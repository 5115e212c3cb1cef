import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@pvefleet/config';
import { NotFoundError } from '@pvefleet/db';
import { SpecError } from '@pvefleet/jobs';
import { nextWindow, parseWindowRule, type Opening } from '../windows';
import { definitionOf, type StoredWindow, type StoredWindowRevision, type WindowDocument } from './windows-documents';
import { WindowsRepository } from './windows-repository';

/** A window's fields as a change gives them (PATCH: only some; create: all but the name). */
export type WindowChange = Partial<Omit<WindowDocument, 'name'>>;

/** What a body schema check is, passed in so this package needs no contracts (PATCH checks the merged whole). */
export type WindowCheck = (merged: WindowDocument) => WindowDocument;

/** Maintenance windows: saved with their revision; their openings computed on the Clock. */
@Injectable()
export class WindowsService {
  constructor(
    @Inject(WindowsRepository) private readonly repo: WindowsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  create(doc: WindowDocument, author: string): Promise<StoredWindow> {
    checkRule(doc);
    return this.repo.save('create', doc.name, author, () => doc);
  }

  /** Applies the change to the stored window; `check` validates the merged whole (400 naming the field). */
  update(name: string, change: WindowChange, author: string, check: WindowCheck): Promise<StoredWindow> {
    return this.repo.save('update', name, author, (current) => {
      if (!current) throw new NotFoundError(`window '${name}' does not exist`);
      const merged = check({ ...current, ...change, name });
      checkRule(merged);
      return merged;
    });
  }

  remove(name: string, author: string): Promise<void> {
    return this.repo.remove(name, author);
  }

  async get(name: string): Promise<StoredWindow> {
    const w = await this.repo.find(name);
    if (!w) throw new NotFoundError(`window '${name}' does not exist`);
    return w;
  }

  list(start: number, limit: number): Promise<{ data: StoredWindow[]; total: number }> {
    return this.repo.page(start, limit);
  }

  async revisions(name: string, start: number, limit: number): Promise<{ data: StoredWindowRevision[]; total: number }> {
    const page = await this.repo.revisions(name, start, limit);
    if (page.total === 0) throw new NotFoundError(`window '${name}' does not exist`);
    return page;
  }

  /** The window's opening now or its next (null when disabled or none within a year). */
  nextOpening(w: WindowDocument): (Opening & { open: boolean }) | null {
    return w.enabled ? nextWindow([definitionOf(w)], this.clock.now()) : null;
  }

  /** A node's next window (GET /nodes/{name}): the one open now, else the next; null when none applies. */
  async nextForNode(name: string): Promise<(Opening & { open: boolean }) | null> {
    const byNode = await this.repo.forNodes({ name });
    const windows = [...byNode.values()][0] ?? [];
    return nextWindow(windows.map(definitionOf), this.clock.now());
  }
}

/** The RRULE's meaning, which the body schema cannot check (it does not load rrule): 400 naming `rrule`. */
function checkRule(doc: WindowDocument): void {
  if (doc.rrule === null) return;
  const parsed = parseWindowRule(doc.rrule);
  if ('error' in parsed) throw new SpecError([{ field: 'rrule', message: parsed.error }]);
}
