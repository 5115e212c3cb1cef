import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_LENGTH } from './line-splitter';

function split(chunks: (string | Buffer)[]): string[] {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  for (const c of chunks) s.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  s.end();
  return lines;
}

describe('LineSplitter', () => {
  it('emits complete lines across chunk boundaries', () => {
    expect(split(['a\nb', 'c\n', 'd'])).toEqual(['a', 'bc', 'd']);
  });

  it('strips CRLF and keeps the last redraw of a carriage-return line', () => {
    expect(split(['x\r\n', '10%\r50%\r100%\n'])).toEqual(['x', '100%']);
  });

  it('keeps empty lines', () => {
    expect(split(['\n\na\n'])).toEqual(['', '', 'a']);
  });

  it('joins a UTF-8 character split between chunks', () => {
    const bytes = Buffer.from('grüße\n');
    expect(split([bytes.subarray(0, 3), bytes.subarray(3)])).toEqual(['grüße']);
  });

  it('splits overlong lines into pieces', () => {
    const lines = split(['y'.repeat(MAX_LINE_LENGTH * 2 + 5) + '\n']);
    expect(lines.map((l) => l.length)).toEqual([MAX_LINE_LENGTH, MAX_LINE_LENGTH, 5]);
    expect(split(['z'.repeat(MAX_LINE_LENGTH * 2) + '\n']).map((l) => l.length)).toEqual([MAX_LINE_LENGTH, MAX_LINE_LENGTH]);
    expect(split(['q'.repeat(MAX_LINE_LENGTH * 3 + 7)]).map((l) => l.length)).toEqual([
      MAX_LINE_LENGTH,
      MAX_LINE_LENGTH,
      MAX_LINE_LENGTH,
      7,
    ]);
  });
});
