import { Module } from '@nestjs/common';
import { JobsModule } from '@pvefleet/jobs';
import { TaskCancelService } from './api/task-cancel.service';
import { TaskQueryService } from './api/task-query.service';
import { TaskSubmissionService } from './api/task-submission.service';
import { TaskLogReader } from './log/task-log.reader';
import { TaskLogRepository } from './persistence/task-log.repository';
import { TaskRepository } from './persistence/task.repository';
import { TaskQueue } from './task-queue';

/**
 * Submitting and querying tasks: what the API needs, and what rollouts submit through. Needs, from
 * the app: DbModule and ConfigModule (global), and TASK_REDIS provided globally.
 */
@Module({
  imports: [JobsModule],
  providers: [TaskRepository, TaskLogRepository, TaskLogReader, TaskQueue, TaskSubmissionService, TaskQueryService, TaskCancelService],
  exports: [TaskRepository, TaskLogRepository, TaskLogReader, TaskQueue, TaskSubmissionService, TaskQueryService, TaskCancelService],
})
export class TasksModule {}
