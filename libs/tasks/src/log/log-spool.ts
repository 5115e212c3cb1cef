import { appendFileSync, createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Log lines of one task as the writer holds them before they reach Postgres. */
export interface SpooledChunk {
  taskId: string;
  firstN: number;
  text: string[];
  streams: number[];
  times: number[];
}

/**
 * Where a worker's log lines wait on local disk while Postgres is away and memory is full, so a
 * command's output keeps flowing through a long outage instead of stalling it. Files of JSON lines,
 * written in order and read back in order; bounded in bytes (past the bound the writer falls back
 * to pausing its sources, never to dropping a line). A worker that dies loses its spool with its
 * tasks, which are then settled as interrupted.
 */
export class LogSpool {
  private files: string[] = [];
  private current: string | null = null;
  private seq = 0;
  private bytes = 0;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  get empty(): boolean {
    return this.files.length === 0;
  }

  canTake(): boolean {
    return this.bytes < this.maxBytes;
  }

  write(chunks: SpooledChunk[]): void {
    if (!this.current) {
      mkdirSync(this.dir, { recursive: true });
      this.current = join(this.dir, `${process.pid}-${++this.seq}.jsonl`);
      this.files.push(this.current);
    }
    const text = chunks.map((c) => JSON.stringify(c)).join('\n') + '\n';
    appendFileSync(this.current, text);
    this.bytes += Buffer.byteLength(text);
  }

  /** The files written so far, oldest first; later writes go to a new file. */
  takeFiles(): string[] {
    const files = this.files;
    this.files = [];
    this.current = null;
    return files;
  }

  async *read(file: string): AsyncGenerator<SpooledChunk> {
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      if (line) yield JSON.parse(line) as SpooledChunk;
    }
  }

  remove(file: string): void {
    this.bytes -= statSync(file).size;
    rmSync(file, { force: true });
  }
}
