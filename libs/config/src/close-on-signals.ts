import { Logger } from '@nestjs/common';

/**
 * SIGTERM and SIGINT close the application (its shutdown hooks: drain, then disconnect) and the
 * process exits 0, as an orchestrator stopping it expects; Nest's own shutdown hooks would re-raise
 * the signal and exit 143. A second signal while closing is ignored: the grace period decides.
 */
export function closeOnSignals(app: { close(): Promise<void> }, name: string): void {
  let closing = false;
  // Nest's logger, so these lines come out in the process's format (JSON lines through pino).
  const logger = new Logger('Shutdown');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      logger.log(`${name}: ${signal} received: stopping`);
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          logger.error(`${name}: could not stop cleanly: ${e.message}`, e.stack);
          process.exit(1);
        },
      );
    });
  }
}
