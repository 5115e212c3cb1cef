import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '@pvefleet/config';
import { errorMessage } from '@pvefleet/errors';
import { TaskSubmissionService } from '@pvefleet/tasks';
import { HeldTaskRepository } from './held-task.repository';
import { TASK_RELEASE_GATE, type TaskReleaseGate } from './task-release-gate';

const EVERY_MS = 1_000;
/** Held tasks looked at per round; more wait for the next second. */
const BATCH = 1_000;

/**
 * The worker's task release loop: every second (Clock time) it takes the held tasks whose start time
 * has come, asks the task release gate which may start (maintenance windows), un-holds and enqueues
 * those (job id = task id, so two workers releasing at once enqueue once), and moves the others'
 * start time to when the gate said to look again.
 */
@Injectable()
export class TaskRelease implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TaskRelease');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(HeldTaskRepository) private readonly held: HeldTaskRepository,
    @Inject(TASK_RELEASE_GATE) private readonly gate: TaskReleaseGate,
    @Inject(TaskSubmissionService) private readonly submission: TaskSubmissionService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), EVERY_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One round; never throws (it runs from a timer). */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.releaseDue();
    } catch (err) {
      this.logger.warn(`held tasks not released this round (${errorMessage(err)}); tried again in a second`);
    } finally {
      this.running = false;
    }
  }

  /** Returns how many tasks this round released. */
  async releaseDue(): Promise<number> {
    await this.held.clearStopped();
    const now = this.clock.now();
    const due = await this.held.due(now, BATCH);
    if (!due.length) return 0;
    const decisions = await this.gate.decide(due, now);
    const release: string[] = [];
    const later = new Map<string, Date>();
    for (const task of due) {
      // A task the gate gave no answer for stays held and is asked about again next round.
      const decision = decisions.get(task.id);
      if (decision === 'release') release.push(task.id);
      else if (decision) later.set(task.id, decision);
    }
    await this.held.postpone(later);
    const jobs = await this.held.release(release);
    await this.submission.enqueue(jobs);
    return jobs.length;
  }
}
