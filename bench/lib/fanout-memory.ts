// What a pvefleet process's resident memory is made of, asked from inside: a preload answers
// SIGWINCH by writing process.memoryUsage() to a file (SIGWINCH because Nest's shutdown hooks take
// SIGUSR2, and a process without the preload ignores it). RSS minus the V8 heap is what V8 does not
// manage: compiled WebAssembly (Prisma's query compiler), native modules, malloc arenas.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './harness';

const PRELOAD = `
const fs = require('node:fs');
const path = require('node:path');
let seq = 0;
process.on('SIGWINCH', () => {
  const m = process.memoryUsage();
  const file = path.join(process.env.BENCH_MEMORY_DIR, process.pid + '-' + ++seq + '.json');
  fs.writeFileSync(file + '.tmp', JSON.stringify(m));
  fs.renameSync(file + '.tmp', file);
});
`;

export interface MemoryBreakdown {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** Buffers and other memory V8 knows of outside its heap. */
  externalMb: number;
}

export class MemoryReporter {
  readonly dir = mkdtempSync(join(tmpdir(), 'pvefleet-mem-'));
  private readonly seq = new Map<number, number>();

  constructor() {
    writeFileSync(join(this.dir, 'preload.cjs'), PRELOAD);
  }

  /** Env for a pvefleet process whose memory should be readable. */
  get env(): Record<string, string> {
    return { NODE_OPTIONS: `--require ${join(this.dir, 'preload.cjs')}`, BENCH_MEMORY_DIR: this.dir };
  }

  async read(pid: number): Promise<MemoryBreakdown> {
    const n = (this.seq.get(pid) ?? 0) + 1;
    this.seq.set(pid, n);
    process.kill(pid, 'SIGWINCH');
    const file = join(this.dir, `${pid}-${n}.json`);
    const deadline = Date.now() + 5_000;
    while (!existsSync(file)) {
      if (Date.now() > deadline) throw new Error(`process ${pid} did not report its memory (preload not loaded?)`);
      await sleep(20);
    }
    const m = JSON.parse(readFileSync(file, 'utf8')) as NodeJS.MemoryUsage;
    const mb = (b: number) => b / 1048576;
    return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
