import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadAppConfig } from '@nazorg/config';
import { ExternalMocksModule, MockPersonRegistry } from '@nazorg/external-mocks';

/** The mocked external systems (BRP, Suwinet, schuldhulp, zorg) on one local port. */
async function main(): Promise<void> {
  const config = loadAppConfig();
  const app = await NestFactory.create(ExternalMocksModule.forRoot(), {
    logger: ['fatal', 'error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  await app.listen(config.EXTERNAL_MOCKS_PORT, config.LISTEN_ADDRESS);
  // Counts only: the mocks hold (test) personal data, which never goes to a log.
  const seeded = app.get(MockPersonRegistry).seeded().length;
  new Logger('ExternalMocks').log(
    `4 external system mocks on http://${config.LISTEN_ADDRESS}:${config.EXTERNAL_MOCKS_PORT} (${seeded} seeded test persons)`,
  );
}

main().catch((error: Error) => {
  new Logger('ExternalMocks').fatal(`could not start: ${error.name}: ${error.message}`);
  process.exit(1);
});
