import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExternalMocksModule } from '@nazorg/external-mocks';

/** The mocked external systems (BRP, Suwinet, schuldhulp, zorg) on one local port. */
async function main(): Promise<void> {
  const app = await NestFactory.create(ExternalMocksModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  const port = Number(process.env.EXTERNAL_MOCKS_PORT ?? 4000);
  await app.listen(port, '127.0.0.1');
  new Logger('ExternalMocks').log(`external system mocks on http://127.0.0.1:${port}`);
}

void main();
