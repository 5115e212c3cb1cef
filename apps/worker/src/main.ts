import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, closeOnSignals, loadConfig, processLogger } from '@pvefleet/config';
import { StartupError, waitForDatabase } from '@pvefleet/db';
import { useProcessLogging, withProcessLogging } from '@pvefleet/logging';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig(); // fail fast, naming the variable, before anything connects
  await waitForDatabase({ process: 'pvefleet worker', databaseUrl: config.databaseUrl, waitSeconds: config.db.connectWaitSeconds });
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Nest declares its options bag as a class of optional fields and reads it as a plain object
  const app = await NestFactory.createApplicationContext(withProcessLogging(WorkerModule, processLogger('worker', config)), {
    bufferLogs: true,
  });
  useProcessLogging(app);
  closeOnSignals(app, 'pvefleet worker');
}

main().catch((err: unknown) => {
  if (err instanceof StartupError) console.error(err.message);
  else console.error(err instanceof ConfigError ? `pvefleet worker: configuration error: ${err.message}` : err);
  process.exit(1);
});
