import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogSpool, type SpooledChunk } from './log-spool';

const chunk = (taskId: string, firstN: number, lines: number): SpooledChunk => ({
  taskId,
  firstN,
  text: Array.from({ length: lines }, (_, i) => `line ${firstN + i}`),
  streams: Array.from({ length: lines }, () => 1),
  times: Array.from({ length: lines }, () => 1_700_000_000_000),
});

async function readAll(spool: LogSpool, files: string[]): Promise<SpooledChunk[]> {
  const out: SpooledChunk[] = [];
  for (const f of files) for await (const c of spool.read(f)) out.push(c);
  return out;
}

describe('LogSpool', () => {
  it('gives chunks back in the order they were written, across files, and cleans up', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spool-test-')), 'spool');
    const spool = new LogSpool(dir, 10_000_000);
    expect(spool.empty).toBe(true);
    spool.write([chunk('1', 1, 3), chunk('2', 1, 2)]);
    spool.write([chunk('1', 4, 2)]);
    const first = spool.takeFiles();
    spool.write([chunk('1', 6, 1)]);
    const second = spool.takeFiles();
    expect((await readAll(spool, [...first, ...second])).map((c) => `${c.taskId}:${c.firstN}`)).toEqual(['1:1', '2:1', '1:4', '1:6']);
    [...first, ...second].forEach((f) => {
      spool.remove(f);
    });
    expect(spool.empty).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(first[0])).toBe(false);
  });

  it('takes no more once its bound is reached', () => {
    const spool = new LogSpool(join(mkdtempSync(join(tmpdir(), 'spool-test-')), 'spool'), 200);
    expect(spool.canTake()).toBe(true);
    spool.write([chunk('1', 1, 20)]);
    expect(spool.canTake()).toBe(false);
  });
});
