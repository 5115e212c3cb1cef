import { describeEntry, type NewEntry, type RepoEntry, type SourcesFile } from './repo-entry';

/** `[# ]deb [options] uri suite [component…] [# comment]` (sources.list(5), one-line style). */
const ENTRY = /^(\s*#\s*|\s*)(deb|deb-src)\s+(\[[^\]]*\]\s+)?(\S+)\s+(\S+)((?:\s+[^\s#]+)*)\s*(#.*)?$/;

/** A one-line `.list` file (or /etc/apt/sources.list); lines that are not entries are kept as they are. */
export class OneLineFile implements SourcesFile {
  readonly format = 'one-line' as const;
  private lines: string[] = [];
  entries: OneLineEntry[] = [];

  constructor(
    readonly path: string,
    readonly original: string | null,
  ) {
    this.parse(original ?? '');
  }

  append(entry: NewEntry): void {
    const text = this.render();
    const line = `deb ${entry.uri} ${entry.suite} ${entry.component}`;
    this.parse(`${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`);
  }

  render(): string {
    return this.lines.join('\n');
  }

  private parse(text: string): void {
    this.lines = text.split('\n');
    this.entries = [];
    this.lines.forEach((line, i) => {
      const m = ENTRY.exec(line);
      if (m) this.entries.push(new OneLineEntry(this.path, this.lines, i, m));
    });
  }
}

class OneLineEntry implements RepoEntry {
  private prefix: string;
  private readonly type: string;
  private readonly options: string;
  private uri: string;
  private suite: string;
  private comps: string[];
  private readonly trailing: string;

  constructor(
    readonly path: string,
    private readonly lines: string[],
    private readonly index: number,
    m: RegExpExecArray,
  ) {
    [, this.prefix, this.type] = m;
    this.options = m.at(3) ?? '';
    this.uri = m[4];
    this.suite = m[5];
    this.comps = m[6].split(/\s+/).filter(Boolean);
    this.trailing = m.at(7) ?? '';
  }

  get enabled(): boolean {
    return !this.prefix.includes('#');
  }
  get types(): string[] {
    return [this.type];
  }
  get uris(): string[] {
    return [this.uri];
  }
  get suites(): string[] {
    return [this.suite];
  }
  get components(): string[] {
    return this.comps;
  }

  setEnabled(enabled: boolean): void {
    if (enabled === this.enabled) return;
    // Disabled the way PVE ships pve-enterprise.list: commented out, never deleted.
    const line = this.lines[this.index];
    this.lines[this.index] = enabled ? line.replace(/^\s*#\s*/, '') : `# ${line}`;
    this.prefix = enabled ? '' : '# ';
  }

  setSuites([suite]: string[]): void {
    if (suite === this.suite) return;
    this.suite = suite;
    this.rebuild();
  }

  setComponents(components: string[]): void {
    if (components.join(' ') === this.comps.join(' ')) return;
    this.comps = [...components];
    this.rebuild();
  }

  describe(): string {
    return describeEntry(this);
  }

  private rebuild(): void {
    const trailing = this.trailing ? ` ${this.trailing}` : '';
    this.lines[this.index] = `${this.prefix}${this.type} ${this.options}${this.uri} ${this.suite} ${this.comps.join(' ')}${trailing}`;
  }
}
