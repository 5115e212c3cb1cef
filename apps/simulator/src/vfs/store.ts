/**
 * One copy-on-write file tree. Many nodes share one read-only base map (the
 * seed); a node only pays for the entries it changes, in `own`, created on
 * the first write. A `null` in `own` hides a base entry (deletion).
 */
export type FileContent<O> = string | ((owner: O) => string);

export interface FsEntry<O> {
  kind: 'file' | 'dir' | 'symlink';
  content?: FileContent<O>;
  target?: string;
  mtime: number;
  mode: number;
}

export class CowStore<O> {
  private own?: Map<string, FsEntry<O> | null>;

  constructor(private readonly base: ReadonlyMap<string, FsEntry<O>>) {}

  get(path: string): FsEntry<O> | undefined {
    if (this.own?.has(path)) return this.own.get(path) ?? undefined;
    return this.base.get(path);
  }

  set(path: string, entry: FsEntry<O>): void {
    (this.own ??= new Map()).set(path, entry);
  }

  delete(path: string): void {
    if (this.base.has(path)) (this.own ??= new Map()).set(path, null);
    else this.own?.delete(path);
  }

  /** Names directly under `dir`, sorted as `ls` in the C locale sorts them. */
  children(dir: string): string[] {
    const prefix = dir === '/' ? '/' : dir + '/';
    const names = new Set<string>();
    const consider = (key: string, present: boolean): void => {
      if (!key.startsWith(prefix) || key.length === prefix.length) return;
      const rest = key.slice(prefix.length);
      if (rest.includes('/')) return;
      if (present) names.add(rest);
      else names.delete(rest);
    };
    for (const key of this.base.keys()) consider(key, true);
    if (this.own) for (const [key, entry] of this.own) consider(key, entry !== null);
    return [...names].sort();
  }

  /** Entries this store changed relative to its base, for state read-back. */
  changedPaths(): string[] {
    return this.own ? [...this.own.keys()].sort() : [];
  }
}

/** Builds a base map, adding every parent directory a file needs. */
export class SeedBuilder<O> {
  readonly entries = new Map<string, FsEntry<O>>();

  constructor(private readonly mtime: number) {}

  dir(path: string, mode = 0o755): this {
    let p = '';
    for (const part of path.split('/').filter(Boolean)) {
      p += '/' + part;
      if (!this.entries.has(p)) this.entries.set(p, { kind: 'dir', mtime: this.mtime, mode });
    }
    if (!this.entries.has('/')) this.entries.set('/', { kind: 'dir', mtime: this.mtime, mode: 0o755 });
    return this;
  }

  file(path: string, content: FileContent<O>, mode = 0o644): this {
    this.dir(path.slice(0, path.lastIndexOf('/')) || '/');
    this.entries.set(path, { kind: 'file', content, mtime: this.mtime, mode });
    return this;
  }

  symlink(path: string, target: string): this {
    this.dir(path.slice(0, path.lastIndexOf('/')) || '/');
    this.entries.set(path, { kind: 'symlink', target, mtime: this.mtime, mode: 0o777 });
    return this;
  }
}
