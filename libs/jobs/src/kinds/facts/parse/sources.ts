import type { SourceFile } from '../../../node-facts';

/**
 * A `==> PATH <==` header as the facts script prints it before each file. It follows the previous
 * file's last line on the same line when that file does not end with a newline.
 */
const HEADER = /==> (\/.*) <==$/;

/**
 * Files printed as `==> PATH <==` followed by the file (`aptSources`, `chronyDropins`).
 * Content is byte-exact, final newline included or not, so a job can write it back unchanged:
 * a header on a line of its own ends a file that ended with a newline, a header glued to a line
 * ends one that did not. The section is byte-exact, so the last file's end is exact too.
 */
export function parseSourceFiles(text: string): SourceFile[] {
  const done: SourceFile[] = [];
  let current: { path: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const m = HEADER.exec(line);
    if (!m) {
      current?.lines.push(line);
      continue;
    }
    if (current) done.push({ path: current.path, content: endedByHeader(current.lines, line.slice(0, m.index)) });
    current = { path: m[1], lines: [] };
  }
  if (current) done.push({ path: current.path, content: current.lines.join('\n') });
  return done;
}

/** The file's lines before the next header; `unterminated` is its last line when it had no final newline. */
function endedByHeader(lines: string[], unterminated: string): string {
  if (unterminated !== '') return [...lines, unterminated].join('\n');
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
