import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { METRICS, MetricsPort } from './metrics.port';

export const METRICS_LISTEN_PORT = Symbol('METRICS_LISTEN_PORT');
/** The address it binds (LISTEN_ADDRESS: loopback locally, 0.0.0.0 in a container). */
export const METRICS_LISTEN_ADDRESS = Symbol('METRICS_LISTEN_ADDRESS');

/**
 * `GET /metrics` for apps without an HTTP server (the connectors, the feed): a bare node:http
 * listener on LISTEN_ADDRESS, so a broker consumer does not grow a web framework. Port 0: any free one.
 */
@Injectable()
export class MetricsHttpListener implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    @Inject(METRICS) private readonly metrics: MetricsPort,
    @Inject(METRICS_LISTEN_PORT) private readonly port: number,
    @Inject(METRICS_LISTEN_ADDRESS) private readonly address: string,
  ) {}

  async onModuleInit(): Promise<void> {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.metrics.scrape().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.address, () => resolve());
    });
    this.server = server;
    this.logger.log(`metrics on ${this.url()}`);
  }

  /** Where it listens, e.g. http://127.0.0.1:9471/metrics (loopback answers on 0.0.0.0 too). */
  url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('metrics listener not started');
    return `http://127.0.0.1:${address.port}/metrics`;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
