/** One SSH exec as the node saw it: the command line and when it ran (ms since the epoch). */
export interface ExecRecord {
  command: string;
  start: number;
  end: number | null;
}

const KEEP = 20_000;

/**
 * The node's own record of what ran on it and when, independent of anything pvefleet stores, so a
 * test can prove from the node's side that two commands did not overlap.
 */
export class ExecHistory {
  readonly records: ExecRecord[] = [];

  begin(command: string): ExecRecord {
    const rec: ExecRecord = { command, start: Date.now(), end: null };
    this.records.push(rec);
    if (this.records.length > KEEP) this.records.splice(0, this.records.length - KEEP);
    return rec;
  }

  end(rec: ExecRecord): void {
    rec.end = Date.now();
  }
}
