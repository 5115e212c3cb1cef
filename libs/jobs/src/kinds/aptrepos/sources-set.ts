import type { SourceFile } from '../../node-facts';
import { Deb822File } from './deb822-file';
import { OneLineFile } from './one-line-file';
import { formatOf, type RepoEntry, type SourcesFile } from './repo-entry';

/**
 * Names apt reads (sources.list(5): letters, digits, `_ - .`, ending .list or .sources); anything
 * else apt ignores, and so does pvefleet. This is also what keeps a path safe on a command line.
 */
const APT_SOURCES_PATH = /^\/etc\/apt\/(sources\.list|sources\.list\.d\/[A-Za-z0-9_.-]+\.(list|sources))$/;

export const isAptSourcesPath = (path: string): boolean => APT_SOURCES_PATH.test(path) && !path.includes('..');

/** Every sources file of the node, editable, plus the ones pvefleet creates. */
export class SourcesSet {
  private readonly files = new Map<string, SourcesFile>();
  /** Files the facts list that apt would not read. */
  readonly ignored: string[] = [];

  constructor(sources: readonly SourceFile[]) {
    for (const f of sources) {
      if (!isAptSourcesPath(f.path)) this.ignored.push(f.path);
      else this.files.set(f.path, open(f.path, f.content));
    }
  }

  /** All entries, in the order apt reads the files. */
  entries(): RepoEntry[] {
    return [...this.files.values()].flatMap((f) => f.entries);
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** The file at `path`, created empty if the node has none. */
  file(path: string): SourcesFile {
    let f = this.files.get(path);
    if (!f) this.files.set(path, (f = open(path, null)));
    return f;
  }

  /** Files whose content differs from the node's copy, with the full new content (ending in a newline). */
  changed(): { path: string; before: string | null; content: string }[] {
    return [...this.files.values()]
      .filter((f) => f.render() !== (f.original ?? ''))
      .map((f) => ({ path: f.path, before: f.original, content: withFinalNewline(f.render()) }));
  }
}

function open(path: string, content: string | null): SourcesFile {
  return formatOf(path) === 'deb822' ? new Deb822File(path, content) : new OneLineFile(path, content);
}

const withFinalNewline = (text: string): string => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
