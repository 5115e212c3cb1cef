import { StringDecoder } from 'node:string_decoder';

/** Longer lines are split into pieces of this size, so one runaway line cannot exhaust memory or a log row. */
export const MAX_LINE_LENGTH = 64 * 1024;

/**
 * Turns a byte stream into lines as they complete. Handles UTF-8 sequences split across chunks,
 * `\r\n` endings, and progress output that redraws with bare `\r` (the last state of the line wins).
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer): void {
    let text = this.partial + this.decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.emitLine(text.slice(start, nl));
      start = nl + 1;
    }
    text = text.slice(start);
    while (text.length > MAX_LINE_LENGTH) {
      this.emitLine(text.slice(0, MAX_LINE_LENGTH));
      text = text.slice(MAX_LINE_LENGTH);
    }
    this.partial = text;
  }

  /** Emits what is left once the stream ends (a last line without a newline). */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.emitLine(rest);
  }

  private emitLine(raw: string): void {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const cr = line.lastIndexOf('\r');
    if (cr !== -1) line = line.slice(cr + 1);
    let i = 0;
    do this.emit(line.slice(i, (i += MAX_LINE_LENGTH)));
    while (i < line.length);
  }
}
