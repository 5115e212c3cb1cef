import { Inject, Injectable } from '@nestjs/common';
import { Db } from '@pvefleet/db';
import { sql } from 'kysely';
import { z } from 'zod';

/** The `fleet_setting` row whose value is the facts refresh: the truth the worker's job scheduler is made from. */
export const FACTS_REFRESH_KEY = 'facts.refresh';

export const factsRefreshSchema = z.strictObject({
  /** Every node's facts are read this often (fractions allowed, for tests). */
  intervalMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(15),
  /**
   * The share of the interval (0 to 1) over which one round's facts tasks are spread, each node at
   * its own fixed offset, so a fleet is not read all at once.
   */
  jitter: z.number().min(0).max(1).default(0.5),
});
export type FactsRefresh = z.infer<typeof factsRefreshSchema>;

export const DEFAULT_FACTS_REFRESH: FactsRefresh = factsRefreshSchema.parse({});

/** Reads and writes the facts refresh row; a missing or unreadable row means the defaults. */
@Injectable()
export class FactsRefreshSettings {
  constructor(@Inject(Db) private readonly db: Db) {}

  async get(): Promise<FactsRefresh> {
    const row = await this.db.selectFrom('fleet_setting').select('value').where('key', '=', FACTS_REFRESH_KEY).executeTakeFirst();
    const parsed = factsRefreshSchema.safeParse(row?.value ?? {});
    return parsed.success ? parsed.data : DEFAULT_FACTS_REFRESH;
  }

  async set(value: FactsRefresh): Promise<void> {
    const json = JSON.stringify(factsRefreshSchema.parse(value));
    await this.db
      .insertInto('fleet_setting')
      .values({ key: FACTS_REFRESH_KEY, value: json, updated_at: sql<Date>`now()` })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: sql<Date>`now()` }))
      .execute();
  }

  /** How long one interval lasts; drift treats facts older than two of them as unknown. */
  async intervalMs(): Promise<number> {
    return (await this.get()).intervalMinutes * 60_000;
  }
}
