import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, Db, NotFoundError, type DB } from '@pvefleet/db';
import { sql, type Selectable } from 'kysely';
import type { ChannelSettings, StoredChannel } from '../channels/channel-settings';

type ChannelRow = Selectable<DB['alert_channel']>;

export interface ChannelInput {
  name: string;
  enabled: boolean;
  settings: ChannelSettings;
}

/** A secret change on save: seal a new one (given the channel's id), keep the stored one, or remove it. */
export type SecretChange = { kind: 'seal'; seal: (channelId: number) => string } | { kind: 'keep' } | { kind: 'remove' };

const UNIQUE_VIOLATION = '23505';

/** Every statement on `alert_channel`. */
@Injectable()
export class AlertChannelRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /** Inserts, then seals the secret with the new id as its context, in one transaction. */
  async create(input: ChannelInput, seal: (channelId: number) => string | null): Promise<StoredChannel> {
    return this.named(input.name, () =>
      this.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('alert_channel')
          .values({ ...columns(input), updated_at: sql<Date>`now()` })
          .returning('id')
          .executeTakeFirstOrThrow();
        const saved = await trx
          .updateTable('alert_channel')
          .set({ secret: seal(row.id) })
          .where('id', '=', row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return toStored(saved);
      }),
    );
  }

  /** Replaces a channel; its type may not change (the secret means something else per type). */
  async update(id: number, input: ChannelInput, secret: SecretChange): Promise<StoredChannel> {
    return this.named(input.name, async () => {
      const current = await this.find(id);
      if (!current) throw new NotFoundError(`alert channel ${id} does not exist`);
      if (current.settings.type !== input.settings.type) {
        throw new ConflictError(
          `alert channel ${id} is a ${current.settings.type} channel: delete it and create a ${input.settings.type} one`,
        );
      }
      const secretValue = secret.kind === 'seal' ? secret.seal(id) : secret.kind === 'remove' ? null : undefined;
      const row = await this.db
        .updateTable('alert_channel')
        .set({ ...columns(input), ...(secretValue === undefined ? {} : { secret: secretValue }), updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError(`alert channel ${id} does not exist`);
      return toStored(row);
    });
  }

  async remove(id: number): Promise<void> {
    const row = await this.db.deleteFrom('alert_channel').where('id', '=', id).returning('id').executeTakeFirst();
    if (!row) throw new NotFoundError(`alert channel ${id} does not exist`);
  }

  async find(id: number): Promise<StoredChannel | undefined> {
    const row = await this.db.selectFrom('alert_channel').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toStored(row);
  }

  async get(id: number): Promise<StoredChannel> {
    const c = await this.find(id);
    if (!c) throw new NotFoundError(`alert channel ${id} does not exist`);
    return c;
  }

  /** By name. */
  async page(start: number, limit: number): Promise<{ data: StoredChannel[]; total: number }> {
    const [rows, counted] = await Promise.all([
      this.db.selectFrom('alert_channel').selectAll().orderBy('name').offset(start).limit(limit).execute(),
      this.db
        .selectFrom('alert_channel')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { data: rows.map(toStored), total: Number(counted.n) };
  }

  /** The ids among `ids` that exist (a rule's channels are checked against them). */
  async existing(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('alert_channel').select('id').where('id', 'in', ids).execute();
    return rows.map((r) => r.id);
  }

  private async named<T>(name: string, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictError(`an alert channel named '${name}' already exists`);
      throw err;
    }
  }
}

function columns(input: ChannelInput) {
  const { type, ...config } = input.settings;
  return { name: input.name, type, enabled: input.enabled, config: JSON.stringify(config) };
}

export function toStored(r: ChannelRow): StoredChannel {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    settings: { type: r.type, ...(r.config as object) } as ChannelSettings,
    sealedSecret: r.secret,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
