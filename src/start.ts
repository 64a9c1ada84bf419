import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.ts';
import { createHttpServer } from './http/server.ts';
import { createService, type Service, type ServiceDeps } from './service.ts';
import { guardProduction } from './setup/production-guards.ts';
import { prepareToServe } from './setup/start-up.ts';

export interface Running {
  service: Service;
  server: Server;
  url: string;
  /**
   * The warm-up that runs once serving (the other keys, the fonts): settles when done; a
   * rejection (a damaged sealed key, a font that cannot render) is for the caller to report.
   */
  background: Promise<void>;
  /** Stops accepting, finishes in-flight requests, closes the database. */
  stop(): Promise<void>;
}

/** storage → keys → demo trust domain and fonts → recovery → listen. Used by `main.ts` and by the HTTP tests alike. */
export async function start(config: Config, deps: ServiceDeps): Promise<Running> {
  const service = createService(config, deps);
  try {
    guardProduction(service, config);
    await prepareToServe(service, config, deps.logger);
    await service.startAuditCheckpoints();
  } catch (error) {
    service.close();
    throw error;
  }
  const server = createHttpServer(service.app).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  service.setReady(true);
  const background = service.warmUpRest();
  // Handled here so that a caller that does not look at it sees no unhandled rejection.
  background.catch(() => {});
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  let stopped: Promise<void> | null = null;
  return {
    service,
    server,
    url: `http://${host}:${port}`,
    background,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        service.setReady(false);
        server.close(() => {
          service.close();
          resolve();
        });
        server.closeIdleConnections();
      });
      return stopped;
    },
  };
}
