import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExternalMocksOptions } from './external-mocks.options';
import { ExternalMocksModule } from './external-mocks.module';
import { MOCK_SYSTEMS, MockSystem, RecordedRequest } from './request.log';

/**
 * The mocks started in-process on an ephemeral port of 127.0.0.1, for tests. Reads what a system was
 * asked through its own `__requests` endpoint, so tests see exactly what a client would.
 */
export class ExternalMocksHarness {
  private constructor(
    readonly app: INestApplication,
    /** Base URL, e.g. http://127.0.0.1:39211 */
    readonly url: string,
  ) {}

  static async start(options: Partial<ExternalMocksOptions> = {}): Promise<ExternalMocksHarness> {
    const app = await NestFactory.create(ExternalMocksModule.forRoot(options), { logger: false });
    await app.listen(0, '127.0.0.1');
    return new ExternalMocksHarness(app, await app.getUrl());
  }

  urlOf(system: MockSystem): string {
    return `${this.url}/${MOCK_SYSTEMS[system]}`;
  }

  /** The connector settings (AppConfig keys) that point at these mocks. */
  connectorEnv(): Record<'BRP_API_URL' | 'SUWINET_API_URL' | 'SCHULDHULP_API_URL' | 'ZORG_API_URL', string> {
    return {
      BRP_API_URL: this.urlOf('brp'),
      SUWINET_API_URL: this.urlOf('suwinet'),
      SCHULDHULP_API_URL: this.urlOf('schuldhulp'),
      ZORG_API_URL: this.urlOf('zorg'),
    };
  }

  async requests(system: MockSystem): Promise<RecordedRequest[]> {
    const response = await fetch(`${this.urlOf(system)}/__requests`);
    return (await response.json()) as RecordedRequest[];
  }

  async clear(...systems: MockSystem[]): Promise<void> {
    const all = systems.length ? systems : (Object.keys(MOCK_SYSTEMS) as MockSystem[]);
    for (const system of all) await fetch(`${this.urlOf(system)}/__requests`, { method: 'DELETE' });
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
