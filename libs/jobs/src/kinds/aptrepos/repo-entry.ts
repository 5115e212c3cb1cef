/**
 * One repository entry of an APT sources file, in either format: a one-line `deb …` line (commented
 * out = disabled) or a deb822 stanza (`Enabled: no` = disabled). Edits change only what they must,
 * so a file rewritten by pvefleet differs from the node's copy in exactly the lines it meant to change.
 */
export interface RepoEntry {
  readonly path: string;
  /** `deb`, `deb-src`. */
  readonly types: readonly string[];
  readonly uris: readonly string[];
  readonly suites: readonly string[];
  readonly components: readonly string[];
  readonly enabled: boolean;
  setEnabled(enabled: boolean): void;
  setSuites(suites: string[]): void;
  setComponents(components: string[]): void;
  /** The entry as one line for notes and results, e.g. `deb http://download.proxmox.com/debian/pve bookworm pvetest`. */
  describe(): string;
}

export type SourcesFormat = 'one-line' | 'deb822';

/** A new entry pvefleet adds: one URI, suite and component. */
export interface NewEntry {
  uri: string;
  suite: string;
  component: string;
}

export interface SourcesFile {
  readonly path: string;
  readonly format: SourcesFormat;
  /** The node's content; null for a file pvefleet creates. */
  readonly original: string | null;
  /** Entries as they are now; re-read after `append`, which re-parses the file. */
  readonly entries: readonly RepoEntry[];
  append(entry: NewEntry): void;
  render(): string;
}

export const describeEntry = (e: Pick<RepoEntry, 'types' | 'uris' | 'suites' | 'components'>): string =>
  `${e.types.join(' ')} ${e.uris.join(' ')} ${e.suites.join(' ')} ${e.components.join(' ')}`.trim();

/** The format of a sources file by its name: `.sources` is deb822, everything else one-line. */
export const formatOf = (path: string): SourcesFormat => (path.endsWith('.sources') ? 'deb822' : 'one-line');
