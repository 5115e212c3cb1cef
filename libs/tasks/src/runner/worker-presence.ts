import { Inject, Injectable } from '@nestjs/common';
import { WorkerPresenceRepository } from '../persistence/worker-presence.repository';
import { WORKER_ID } from './worker-id';

/** How often a worker says it is alive. */
export const PRESENCE_BEAT_MS = 1_000;
/** Silence this long, seen by a worker that itself kept beating all along, means a worker died. */
export const DEAD_AFTER_MS = 5_000;

/**
 * This worker's row in `worker_process`, beaten every second, so the others can tell within seconds
 * that it died and settle its tasks. Judging others needs an unbroken view: after a database outage
 * every worker's beat is old, so a worker only calls another dead once its own beats have landed
 * without a gap for longer than the silence it judges by.
 */
@Injectable()
export class WorkerPresence {
  private beatingSince: number | null = null;

  constructor(
    @Inject(WorkerPresenceRepository) private readonly repo: WorkerPresenceRepository,
    @Inject(WORKER_ID) readonly workerId: string,
  ) {}

  async beat(): Promise<void> {
    try {
      await this.repo.beat(this.workerId);
      this.beatingSince ??= Date.now();
    } catch (err) {
      this.beatingSince = null;
      throw err;
    }
  }

  /** True once this worker's own beats have landed for longer than DEAD_AFTER_MS without a gap. */
  mayJudgeOthers(): boolean {
    return this.beatingSince !== null && Date.now() - this.beatingSince >= DEAD_AFTER_MS + PRESENCE_BEAT_MS;
  }

  /** A clean exit: gone at once, and rows of workers long dead are dropped too. */
  async leave(): Promise<void> {
    await this.repo.leave(this.workerId);
  }
}
