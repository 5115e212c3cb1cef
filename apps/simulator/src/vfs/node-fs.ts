import { CowStore, FsEntry } from './store';
import { dirname, normalizePath } from './paths';

export type FsErrorCode = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EACCES';

const MESSAGES: Record<FsErrorCode, string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EACCES: 'Permission denied',
};

export class FsError extends Error {
  constructor(readonly code: FsErrorCode) {
    super(MESSAGES[code]);
  }
}

export interface FileStat {
  kind: 'file' | 'dir' | 'symlink';
  size: number;
  mtime: number;
  mode: number;
}

const PVE_MOUNT = '/etc/pve';
/** Kernel files root may write: sysctls and module parameters (`/sys/module/zfs/parameters/zfs_arc_max`). */
const KERNEL_TUNABLE = /^\/proc\/sys\/|^\/sys\/module\/[^/]+\/parameters\//;
const LOCAL_LINK = '/etc/pve/local';

/**
 * A node's view of its files: its own copy-on-write root, with `/etc/pve`
 * mounted from the cluster's shared store (pmxcfs) so every member sees the
 * same storage.cfg and nodes/<name>/ files, exactly as on real PVE.
 */
export class NodeFs<O> {
  constructor(
    private readonly owner: O,
    private readonly root: CowStore<O>,
    private readonly pmxcfs: CowStore<O>,
    private readonly clock: () => number,
    private readonly localNode: string,
  ) {}

  /** Absolute path with every symlink resolved (final component included unless `noFollowLast`). */
  resolve(path: string, cwd = '/', noFollowLast = false): string {
    let current = normalizePath(path, cwd);
    for (let hops = 0; hops < 16; hops++) {
      const parts = current.split('/').filter(Boolean);
      let prefix = '';
      let replaced = false;
      for (let i = 0; i < parts.length; i++) {
        prefix += '/' + parts[i];
        if (noFollowLast && i === parts.length - 1) break;
        const entry = this.entry(prefix);
        if (entry?.kind === 'symlink' && entry.target) {
          const rest = parts.slice(i + 1).join('/');
          const target = normalizePath(entry.target, dirname(prefix));
          current = rest ? `${target}/${rest}` : target;
          replaced = true;
          break;
        }
      }
      if (!replaced) return current;
    }
    return current;
  }

  stat(path: string, cwd = '/'): FileStat | undefined {
    const entry = this.entry(this.resolve(path, cwd));
    if (!entry) return undefined;
    return {
      kind: entry.kind,
      size: entry.kind === 'file' ? Buffer.byteLength(this.contentOf(entry)) : 4096,
      mtime: entry.mtime,
      mode: entry.mode,
    };
  }

  exists(path: string, cwd = '/'): boolean {
    return this.stat(path, cwd) !== undefined;
  }

  isFile(path: string, cwd = '/'): boolean {
    return this.stat(path, cwd)?.kind === 'file';
  }

  isDir(path: string, cwd = '/'): boolean {
    return this.stat(path, cwd)?.kind === 'dir';
  }

  readFile(path: string, cwd = '/'): string {
    const entry = this.entry(this.resolve(path, cwd));
    if (!entry) throw new FsError('ENOENT');
    if (entry.kind === 'dir') throw new FsError('EISDIR');
    return this.contentOf(entry);
  }

  /** Reads a file or returns undefined; for state derived from config files. */
  tryRead(path: string): string | undefined {
    const entry = this.entry(this.resolve(path));
    return entry?.kind === 'file' ? this.contentOf(entry) : undefined;
  }

  writeFile(path: string, content: string, options: { append?: boolean; mode?: number } = {}, cwd = '/'): void {
    const abs = this.resolve(path, cwd);
    const existing = this.entry(abs);
    if (existing?.kind === 'dir') throw new FsError('EISDIR');
    const parent = this.entry(dirname(abs));
    if (!parent) throw new FsError('ENOENT');
    if (parent.kind !== 'dir') throw new FsError('ENOTDIR');
    const tunable = existing?.kind === 'file' && KERNEL_TUNABLE.test(abs);
    if ((abs.startsWith('/proc/') || abs.startsWith('/sys/')) && !tunable) throw new FsError('EACCES');
    const previous = options.append && existing ? this.contentOf(existing) : '';
    this.store(abs).set(abs, {
      kind: 'file',
      content: previous + content,
      mtime: this.clock(),
      mode: options.mode ?? existing?.mode ?? 0o644,
    });
  }

  mkdir(path: string, parents: boolean, cwd = '/'): void {
    const abs = this.resolve(path, cwd);
    const existing = this.entry(abs);
    if (existing) {
      if (parents && existing.kind === 'dir') return;
      throw new FsError('EEXIST');
    }
    const parent = dirname(abs);
    if (!this.entry(parent)) {
      if (!parents) throw new FsError('ENOENT');
      this.mkdir(parent, true);
    } else if (this.entry(parent)?.kind !== 'dir') throw new FsError('ENOTDIR');
    this.store(abs).set(abs, { kind: 'dir', mtime: this.clock(), mode: 0o755 });
  }

  remove(path: string, recursive: boolean, cwd = '/'): void {
    const abs = this.resolve(path, cwd, true);
    const entry = this.entry(abs);
    if (!entry) throw new FsError('ENOENT');
    if (entry.kind === 'dir') {
      const children = this.list(abs);
      if (!recursive) throw new FsError('EISDIR');
      for (const child of children) this.remove(`${abs}/${child}`, true);
    }
    this.store(abs).delete(abs);
  }

  list(path: string, cwd = '/'): string[] {
    const abs = this.resolve(path, cwd);
    const entry = this.entry(abs);
    if (!entry) throw new FsError('ENOENT');
    if (entry.kind !== 'dir') throw new FsError('ENOTDIR');
    return this.store(abs + '/x').children(abs);
  }

  /** Paths this node changed on its own root (not the shared /etc/pve). */
  changedPaths(): string[] {
    return this.root.changedPaths();
  }

  private entry(abs: string): FsEntry<O> | undefined {
    // /etc/pve/local is per node although /etc/pve is shared.
    if (abs === LOCAL_LINK) return { kind: 'symlink', target: `${PVE_MOUNT}/nodes/${this.localNode}`, mtime: 0, mode: 0o777 };
    return this.store(abs).get(abs);
  }

  private store(abs: string): CowStore<O> {
    return abs === PVE_MOUNT || abs.startsWith(PVE_MOUNT + '/') ? this.pmxcfs : this.root;
  }

  private contentOf(entry: FsEntry<O>): string {
    const c = entry.content ?? '';
    return typeof c === 'function' ? c(this.owner) : c;
  }
}

/** The file operations programs use, without the owner type parameter. */
export type FileSystem = Pick<
  NodeFs<unknown>,
  'resolve' | 'stat' | 'exists' | 'isFile' | 'isDir' | 'readFile' | 'tryRead' | 'writeFile' | 'mkdir' | 'remove' | 'list' | 'changedPaths'
>;
