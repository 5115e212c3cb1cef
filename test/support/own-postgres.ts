import { rmSync } from 'node:fs';
import { deployMigrations } from '../../scripts/migrate.mjs';
import { createDatabase, freePort, makeTempDir, startPostgres, type RunningService } from '../../scripts/lib/services.mjs';

/**
 * A migrated Postgres of one test file's own, which the test may stop and start again on the same
 * port and data: its outages touch no other test.
 */
export class OwnPostgres {
  private constructor(
    private server: RunningService,
    readonly dir: string,
    private readonly port: number,
    readonly databaseUrl: string,
  ) {}

  static async start(name: string): Promise<OwnPostgres> {
    const dir = makeTempDir(`pvefleet-${name}-pg-`);
    const port = await freePort();
    const server = await startPostgres({ dir, port, persistent: true });
    const databaseUrl = await createDatabase(server.url, `pvefleet_${name}`);
    await deployMigrations(databaseUrl);
    return new OwnPostgres(server, dir, port, databaseUrl);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  async startAgain(): Promise<void> {
    this.server = await startPostgres({ dir: this.dir, port: this.port, persistent: true });
  }

  async remove(): Promise<void> {
    await this.server.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
