import 'reflect-metadata';
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { systemClock } from './domain/ports.ts';
import { start } from './start.ts';

/** Start-up: config → storage → keys → app → listen → graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const config = await loadConfig();
  // Asynchronous writes keep logging off the request path (a synchronous write per request cost
  // a quarter of verification throughput), and info lines (a line per request) are written 4 KB at
  // a time, or at the latest after a second (a write per line cost verification a further 4 %).
  // Warnings and errors are written at once, the service's milestones too (below), and pino writes
  // what is left when the process exits. A reader that goes away (EPIPE) must not stop the
  // service or hang its shutdown: such errors end logging, nothing else.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 1000 });
  destination.on('error', () => destination.destroy());
  const logger = pino(
    {
      level: config.logLevel,
      base: { service: 'birth-certificate' },
      hooks: {
        logMethod(args, write, level) {
          write.apply(this, args);
          if (level >= pino.levels.values.warn!) this.flush();
        },
      },
    },
    destination,
  );
  const running = await start(config, {
    logger,
    clock: systemClock,
  });
  logger.info(
    { url: running.url, env: config.env, startMs: Math.round(Number(process.hrtime.bigint() - startedAt) / 1e6) },
    'listening',
  );
  // The service's own milestones are written at once.
  logger.flush();

  let stopping = false;
  const shutdown = (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    logger.flush();
    // A client that holds its connection open must not keep the process alive for ever.
    setTimeout(() => {
      logger.warn('forced exit after 10 s');
      process.exit(1);
    }, 10_000).unref();
    running.stop().then(() => {
      logger.info('stopped');
      logger.flush();
      // No process.exit: with the server and database closed the process ends by itself once
      // the last log line is written, and the timer above still bounds a stuck shutdown.
      process.exitCode = exitCode;
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // What could not be checked before serving fails as loudly as a failed start: a sealed key that
  // does not open or fonts that cannot render stop the service.
  running.background.then(
    () => {
      logger.info('warm-up done');
      logger.flush();
    },
    (error: unknown) => {
      if (stopping) return;
      logger.fatal({ err: error }, 'warm-up failed');
      shutdown('warm-up failure', 1);
    },
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`configuration: ${error.message}`);
  else console.error('start-up failed', error);
  process.exit(1);
});
