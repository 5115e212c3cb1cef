import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { classifyDbFailure } from '@pvefleet/db';
import { errorMessage, type ErrorClass } from '@pvefleet/errors';
import { MAX_CHUNK_LINES, TaskLogRepository, type TaskEndRow } from '../persistence/task-log.repository';
import { LogSpool } from './log-spool';
import { encodeLogMetaArrays, streamCode, type LogStream } from './task-log-codec';

export { MAX_CHUNK_LINES };

export interface TaskCompletion {
  exitstatus: string;
  isError: boolean;
  /** Why it failed (set with isError): what the orchestrator and retries decide by. */
  errorClass?: ErrorClass;
  result?: Record<string, unknown>;
}

export interface TaskLogWriterOptions {
  flushMs: number;
  highWaterLines?: number;
  spool?: { dir: string; maxBytes: number };
}

interface PendingChunk {
  taskId: string;
  firstN: number;
  text: string[];
  /** Per line: stream code and epoch ms, as flat numbers (no object per line). */
  streams: number[];
  times: number[];
}

interface PendingCompletion extends TaskCompletion {
  taskId: string;
  logLines: number;
  endTime: Date;
  done: { resolve(): void; reject(err: Error): void };
}

/** The log of one running task: numbers its lines and hands them to the shared writer. */
export class TaskLog {
  private n: number;

  constructor(
    private readonly writer: TaskLogWriter,
    readonly taskId: string,
    firstN = 1,
  ) {
    this.n = firstN;
  }

  /** Lines written so far. */
  get lines(): number {
    return this.n - 1;
  }

  write(stream: LogStream, text: string): void {
    this.writer.append(this.taskId, this.n++, stream, text);
  }

  /** Ends the log with Proxmox's last line and stops the task, in the same statement. */
  complete(c: TaskCompletion): Promise<void> {
    this.write(
      'sys',
      c.exitstatus === 'OK' || c.exitstatus.startsWith('WARNINGS: ') ? `TASK ${c.exitstatus}` : `TASK ERROR: ${c.exitstatus}`,
    );
    return this.writer.complete(this.taskId, this.lines, c);
  }
}

/**
 * Persists every task's log lines of this process in batches: one INSERT per flush for all running
 * tasks (a row per task per flush), never one per line. A task's completion rides in the same
 * statement as its last lines, so whoever sees a task stopped also sees its whole log.
 *
 * No line is ever dropped quietly. While Postgres is away the lines stay buffered and the batch is
 * retried until it lands. Once a write finds Postgres away, the batch being written goes to a spool
 * on local disk (LogSpool), and so do newer lines past the high-water mark in memory; the spool is
 * written back in order, before any completion, once Postgres answers; past the
 * spool's bound too, readers pause their source (SSH flow control then holds the command's output
 * on the node). A batch that
 * Postgres refuses is written task by task, so only the task whose rows cannot be stored loses
 * anything, and that task then ends in error saying how many lines are missing, never `TASK OK`.
 */
@Injectable()
export class TaskLogWriter {
  private readonly logger = new Logger(TaskLogWriter.name);
  private chunks: PendingChunk[] = [];
  private open = new Map<string, PendingChunk>();
  private completions: PendingCompletion[] = [];
  private buffered = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private drainWaiters: (() => void)[] = [];
  /** Lines per task that Postgres refused to store: the task's completion reports them. */
  private readonly lost = new Map<string, number>();
  /** Set while a write waits for Postgres to come back; lines then spill to the spool. */
  private postgresAway = false;
  private readonly spool?: LogSpool;

  private readonly opts: TaskLogWriterOptions;

  constructor(
    @Inject(TaskLogRepository) private readonly repo: TaskLogRepository,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'log'>,
  ) {
    this.opts = { flushMs: config.log.flushMs, spool: config.log.spool };
    if (this.opts.spool) this.spool = new LogSpool(this.opts.spool.dir, this.opts.spool.maxBytes);
  }

  /**
   * Lines buffered before the source is paused. Small on purpose: lines that wait long survive young
   * collections and bloat the old heap; 16,000 lines still make chunks of thousands of lines.
   */
  private get highWater(): number {
    return this.opts.highWaterLines ?? 16_000;
  }

  log(taskId: string, firstN = 1): TaskLog {
    return new TaskLog(this, taskId, firstN);
  }

  append(taskId: string, n: number, stream: LogStream, text: string): void {
    let chunk = this.open.get(taskId);
    if (!chunk || chunk.text.length >= MAX_CHUNK_LINES || chunk.firstN + chunk.text.length !== n) {
      chunk = { taskId, firstN: n, text: [], streams: [], times: [] };
      this.open.set(taskId, chunk);
      this.chunks.push(chunk);
    }
    // Postgres text cannot hold NUL bytes.
    chunk.text.push(text.includes('\0') ? text.replaceAll('\0', '') : text);
    chunk.streams.push(streamCode(stream));
    chunk.times.push(Date.now());
    this.buffered++;
    if (this.postgresAway && this.buffered >= this.highWater) this.spill();
    this.schedule(this.buffered >= this.highWater / 4 ? 0 : this.opts.flushMs);
  }

  /** Moves the lines waiting in memory (not the batch being written) to the spool on disk. */
  private spill(): void {
    if (!this.spool?.canTake() || !this.chunks.length) return;
    const chunks = this.chunks;
    this.spool.write(chunks);
    this.chunks = [];
    this.open = new Map();
    this.buffered -= lineCount(chunks);
    this.wakeDrainWaiters();
  }

  /** Writes what waited in the spool, oldest first, before anything newer (completions included). */
  private async drainSpool(): Promise<void> {
    if (!this.spool || this.spool.empty) return;
    for (const file of this.spool.takeFiles()) {
      let batch: PendingChunk[] = [];
      for await (const chunk of this.spool.read(file)) {
        batch.push(chunk);
        if (lineCount(batch) >= MAX_CHUNK_LINES) {
          await this.storeBatch(batch, []);
          batch = [];
        }
      }
      if (batch.length) await this.storeBatch(batch, []);
      this.spool.remove(file);
    }
  }

  complete(taskId: string, logLines: number, c: TaskCompletion): Promise<void> {
    return new Promise((resolve, reject) => {
      this.completions.push({ ...c, taskId, logLines, endTime: new Date(), done: { resolve, reject } });
      // Completions batch across tasks for a few ms, but never wait a whole flush interval.
      this.schedule(Math.min(this.opts.flushMs, 5));
    });
  }

  /** True when the database falls behind: readers should pause their source. */
  saturated(): boolean {
    return this.buffered >= this.highWater;
  }

  drained(): Promise<void> {
    if (!this.saturated()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Writes everything buffered now; resolves when it is in Postgres. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.chunks.length && !this.completions.length && (this.spool?.empty ?? true)) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.writeBatch().finally(() => {
      this.flushing = undefined;
      if (this.chunks.length || this.completions.length || !(this.spool?.empty ?? true)) this.schedule(0);
    });
    await this.flushing;
  }

  private schedule(delayMs: number): void {
    if (this.flushing) return; // the running flush reschedules when it ends
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Whoever waits for a completion gets the error itself; this says the background flush failed.
      this.flush().catch((err: unknown) => {
        this.logger.error(`log flush failed: ${errorMessage(err)}`);
      });
    }, delayMs);
  }

  private async writeBatch(): Promise<void> {
    // Lines spilled while the spool was being written back are older than those in memory now.
    while (this.spool && !this.spool.empty) await this.drainSpool();
    let chunks = this.chunks;
    const completions = this.completions;
    this.chunks = [];
    this.open = new Map();
    this.completions = [];
    // When Postgres turns out to be away, the batch itself goes to the spool (it may hold every line
    // buffered: a burst read in one go), its completions back to the queue, written after it. This
    // happens at its first failure, before any newer line can be spilled, so the spool keeps the order.
    const toSpool = (): boolean => {
      if (!this.spool?.canTake() || !chunks.length) return false;
      this.spool.write(chunks);
      this.buffered -= lineCount(chunks);
      chunks = [];
      this.completions.unshift(...completions);
      this.wakeDrainWaiters();
      return true;
    };
    try {
      await this.storeBatch(chunks, completions, toSpool);
    } finally {
      this.buffered -= lineCount(chunks);
      this.wakeDrainWaiters();
    }
  }

  private wakeDrainWaiters(): void {
    if (!this.saturated())
      this.drainWaiters.splice(0).forEach((w) => {
        w();
      });
  }

  /** `toSpool`: called when Postgres is away; true when it took the batch (then nothing more is done here). */
  private async storeBatch(chunks: PendingChunk[], completions: PendingCompletion[], toSpool?: () => boolean): Promise<void> {
    try {
      if ((await this.whileUnavailable(() => this.store(chunks, completions), toSpool)) === 'spooled') return;
      completions.forEach((c) => {
        c.done.resolve();
      });
      return;
    } catch {
      // Refused: some task's rows cannot be stored (its line numbers collide with a takeover's, say).
    }
    for (const taskId of new Set([...chunks.map((c) => c.taskId), ...completions.map((c) => c.taskId)])) {
      const mine = chunks.filter((c) => c.taskId === taskId);
      const ending = completions.filter((c) => c.taskId === taskId);
      try {
        await this.whileUnavailable(() => this.store(mine, ending));
      } catch (err) {
        this.logger.error(`task ${taskId}: Postgres refused ${lineCount(mine)} log lines (${errorMessage(err)}); its ending says so`);
        this.lost.set(taskId, (this.lost.get(taskId) ?? 0) + lineCount(mine));
        try {
          // The ending still lands, without its lines, and says what is missing.
          await this.whileUnavailable(() => this.store([], ending));
        } catch (err) {
          ending.forEach((c) => {
            c.done.reject(err as Error);
          });
          continue;
        }
      }
      ending.forEach((c) => {
        c.done.resolve();
      });
    }
  }

  /**
   * Retries while Postgres is away, for as long as it takes, unless `toSpool` takes the write over;
   * a refusal is thrown at once.
   */
  private async whileUnavailable(write: () => Promise<void>, toSpool?: () => boolean): Promise<'written' | 'spooled'> {
    for (let attempt = 0; ; attempt++) {
      try {
        await write();
        this.postgresAway = false;
        return 'written';
      } catch (err) {
        // The writer talks to nothing but Postgres: an error without a code is a lost connection.
        if (classifyDbFailure(err) === 'rejected') throw err;
        this.postgresAway = true;
        if (toSpool?.()) return 'spooled';
        if (this.buffered >= this.highWater) this.spill();
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 2_000)));
      }
    }
  }

  private async store(chunks: PendingChunk[], completions: PendingCompletion[]): Promise<void> {
    if (!chunks.length && !completions.length) return;
    await this.repo.store(
      chunks.map((c) => ({
        taskId: c.taskId,
        firstN: c.firstN,
        lineCount: c.text.length,
        text: c.text.join('\n'),
        meta: encodeLogMetaArrays(c.streams, c.times),
      })),
      completions.map((c) => this.completionRow(c)),
    );
    for (const c of completions) this.lost.delete(c.taskId);
  }

  private completionRow(c: PendingCompletion): TaskEndRow {
    const lost = this.lost.get(c.taskId) ?? 0;
    const exitstatus = lost
      ? `log incomplete: ${lost} lines could not be stored${c.isError ? `; ${c.exitstatus}` : ` (the commands ended ${c.exitstatus})`}`
      : c.exitstatus;
    return {
      id: c.taskId,
      exitstatus,
      is_error: c.isError || lost > 0,
      // Lines Postgres refused will be refused again: a lost log is permanent.
      error_class: c.isError ? (c.errorClass ?? 'permanent') : lost > 0 ? 'permanent' : null,
      end_time: c.endTime.toISOString(),
      log_lines: c.logLines,
      result: c.result ?? null,
    };
  }
}

const lineCount = (chunks: PendingChunk[]) => chunks.reduce((sum, c) => sum + c.text.length, 0);
