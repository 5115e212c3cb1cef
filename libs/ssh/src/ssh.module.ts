import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pvefleet/config';
import { SshPool } from './ssh-pool';

/** The process's pool of SSH connections to the nodes (the worker's; the API never opens one). */
@Module({
  providers: [
    {
      provide: SshPool,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new SshPool({ idleMs: c.ssh.idleMs, maxIdle: c.ssh.maxIdleConnections }),
    },
  ],
  exports: [SshPool],
})
export class SshModule {}
