import { Module } from '@nestjs/common';
import { JobRegistry } from './job-registry';

/** The job kinds: one registry per process, checked when it boots (a type with no kind, or two, refuses to start). */
@Module({
  providers: [{ provide: JobRegistry, useFactory: () => new JobRegistry() }],
  exports: [JobRegistry],
})
export class JobsModule {}
