import './v8-flags';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from '@pvefleet/contracts';
import { ConfigError, closeOnSignals, loadConfig, processLogger } from '@pvefleet/config';
import { StartupError, waitForDatabase } from '@pvefleet/db';
import { useProcessLogging, withProcessLogging } from '@pvefleet/logging';
import { ApiModule } from './api.module';
import { useJsonBodies } from './common/body-parsing';
import { useSecurityHeaders } from './common/security-headers';

async function main(): Promise<void> {
  const config = loadConfig(); // fail fast, naming the variable, before anything connects
  await waitForDatabase({ process: 'pvefleet api', databaseUrl: config.databaseUrl, waitSeconds: config.db.connectWaitSeconds });
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Nest declares its options bag as a class of optional fields and reads it as a plain object
  const app = await NestFactory.create(withProcessLogging(ApiModule, processLogger('api', config)), {
    bodyParser: false,
    bufferLogs: true,
  });
  useProcessLogging(app);
  useSecurityHeaders(app);
  useJsonBodies(app);
  app.setGlobalPrefix('api/v1');
  closeOnSignals(app, 'pvefleet api');
  // The document comes from the contracts (libs/contracts), not from decorators: the same schemas validate requests.
  SwaggerModule.setup('docs', app, buildOpenApiDocument());
  await app.listen(config.port, config.host);
  new Logger('Main').log(`pvefleet api listening on http://${config.host}:${config.port}/api/v1 (docs at /docs)`);
}

main().catch((err: unknown) => {
  if (err instanceof StartupError) console.error(err.message);
  else console.error(err instanceof ConfigError ? `pvefleet api: configuration error: ${err.message}` : err);
  process.exit(1);
});
