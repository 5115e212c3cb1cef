import { journalDate } from '../util/time';

export interface JournalEntry {
  time: number;
  unit: string;
  ident: string;
  pid: number;
  message: string;
}

const MAX_ENTRIES = 300;

/** A bounded per-node journal; created on the first entry so idle nodes cost nothing. */
export class Journal {
  private entries?: JournalEntry[];

  add(entry: JournalEntry): void {
    const list = (this.entries ??= []);
    list.push(entry);
    if (list.length > MAX_ENTRIES) list.splice(0, list.length - MAX_ENTRIES);
  }

  query(units: string[], since: number | undefined): JournalEntry[] {
    return (this.entries ?? []).filter((e) => (!units.length || units.includes(e.unit)) && (since === undefined || e.time >= since));
  }

  static format(e: JournalEntry, host: string): string {
    return `${journalDate(e.time)} ${host} ${e.ident}[${e.pid}]: ${e.message}`;
  }
}
