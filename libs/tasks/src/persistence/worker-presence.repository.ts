import { hostname } from 'node:os';
import { Inject, Injectable } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import { sql } from 'kysely';

/** All SQL on `worker_process` but the claim's registration (TaskRunRepository.claim). */
@Injectable()
export class WorkerPresenceRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** This worker is alive now. */
  async beat(workerId: string): Promise<void> {
    await this.db
      .insertInto('worker_process')
      .values({ id: workerId, host: hostname(), pid: process.pid })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ beat_at: sql`now()`, host: (eb) => eb.ref('excluded.host'), pid: (eb) => eb.ref('excluded.pid') }),
      )
      .execute();
  }

  /** A clean exit: gone at once, and rows of workers long dead are dropped too. */
  async leave(workerId: string): Promise<void> {
    await this.db
      .deleteFrom('worker_process')
      .where((eb) => eb.or([eb('id', '=', workerId), eb('beat_at', '<', sql<Date>`now() - interval '1 day'`)]))
      .execute();
  }
}
