import { Global, Module } from '@nestjs/common';
import { loadConfig } from './app-config';
import { CLOCK, clockFromEnv } from './clock';

export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: () => loadConfig() },
    { provide: CLOCK, useFactory: () => clockFromEnv() },
  ],
  exports: [APP_CONFIG, CLOCK],
})
export class ConfigModule {}
