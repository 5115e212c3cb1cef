import { describeEntry, type NewEntry, type RepoEntry, type SourcesFile } from './repo-entry';

/** What PVE's own deb822 files name as the key (pve-commands §2.2). */
export const PROXMOX_KEYRING = '/usr/share/keyrings/proxmox-archive-keyring.gpg';

/**
 * A deb822 `.sources` file: stanzas separated by blank lines. Each stanza stays a list of its own
 * lines, so an edit replaces, adds or removes one field line and leaves the rest byte for byte.
 */
export class Deb822File implements SourcesFile {
  readonly format = 'deb822' as const;
  /** The file's lines, cut into stanzas and the blank lines between them; joined they are the file. */
  private blocks: string[][] = [];
  entries: StanzaEntry[] = [];

  constructor(
    readonly path: string,
    readonly original: string | null,
  ) {
    this.parse(original ?? '');
  }

  append(entry: NewEntry): void {
    const text = this.render();
    const stanza = `Types: deb\nURIs: ${entry.uri}\nSuites: ${entry.suite}\nComponents: ${entry.component}\nSigned-By: ${PROXMOX_KEYRING}\n`;
    const sep = text.trim() === '' ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    this.parse(`${text.trim() === '' ? '' : text}${sep}${stanza}`);
  }

  render(): string {
    return this.blocks.flat().join('\n');
  }

  private parse(text: string): void {
    this.blocks = [];
    for (const line of text.split('\n')) {
      const blank = line.trim() === '';
      const last = this.blocks.at(-1);
      if (last && (last[0].trim() === '') === blank) last.push(line);
      else this.blocks.push([line]);
    }
    this.entries = this.blocks
      .filter((b) => b[0].trim() !== '')
      .map((lines) => new StanzaEntry(this.path, lines))
      .filter((e) => e.types.length > 0 && e.uris.length > 0);
  }
}

interface Field {
  index: number;
  /** Lines the field spans, continuation lines included. */
  count: number;
  name: string;
  value: string;
}

class StanzaEntry implements RepoEntry {
  constructor(
    readonly path: string,
    private readonly lines: string[],
  ) {}

  get types(): string[] {
    return this.tokens('types');
  }
  get uris(): string[] {
    return this.tokens('uris');
  }
  get suites(): string[] {
    return this.tokens('suites');
  }
  get components(): string[] {
    return this.tokens('components');
  }
  get enabled(): boolean {
    return !/^(no|false|0)$/i.test(this.field('enabled')?.value.trim() ?? 'yes');
  }

  setEnabled(enabled: boolean): void {
    if (enabled === this.enabled) return;
    // Disabling adds `Enabled: no` (the documented way); enabling removes it, so a shipped file returns to its exact text.
    if (enabled) this.remove('enabled');
    else this.set('Enabled', 'no');
  }

  setSuites(suites: string[]): void {
    if (suites.join(' ') !== this.suites.join(' ')) this.set('Suites', suites.join(' '));
  }

  setComponents(components: string[]): void {
    if (components.join(' ') !== this.components.join(' ')) this.set('Components', components.join(' '));
  }

  describe(): string {
    return `${describeEntry(this)}${this.enabled ? '' : ' (Enabled: no)'}`;
  }

  private tokens(name: string): string[] {
    return (this.field(name)?.value ?? '').split(/\s+/).filter(Boolean);
  }

  private fields(): Map<string, Field> {
    const out = new Map<string, Field>();
    let current: Field | undefined;
    this.lines.forEach((line, index) => {
      if (/^\s*#/.test(line)) return;
      const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
      if (m) {
        current = { index, count: 1, name: m[1], value: m[2] };
        out.set(m[1].toLowerCase(), current);
      } else if (current && /^\s+\S/.test(line)) {
        current.count = index - current.index + 1;
        current.value += ` ${line.trim()}`;
      }
    });
    return out;
  }

  private field(name: string): Field | undefined {
    return this.fields().get(name);
  }

  private set(name: string, value: string): void {
    const f = this.field(name.toLowerCase());
    if (f) this.lines.splice(f.index, f.count, `${f.name}: ${value}`);
    else this.lines.push(`${name}: ${value}`);
  }

  private remove(name: string): void {
    const f = this.field(name);
    if (f) this.lines.splice(f.index, f.count);
  }
}
