import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@pvefleet/config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  loadConfig(); // fail fast, naming the variable, before anything connects
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? `pvefleet worker: configuration error: ${err.message}` : err);
  process.exit(1);
});
