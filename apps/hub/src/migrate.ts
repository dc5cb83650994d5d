import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loggableError } from '@nazorg/privacy';
import { MigrateModule } from './migrate.module';

/**
 * `node dist/apps/hub/src/migrate.js`: applies pending migrations and exits (the Helm chart's
 * pre-install/pre-upgrade Job), so the schema is current before any new pod starts. Every app still
 * migrates at start-up under the same advisory lock; after this Job they find nothing to do.
 */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(MigrateModule, {
    logger: ['fatal', 'error', 'warn', 'log'],
  });
  await app.close();
  new Logger('Migrate').log('database schema is current');
}

main().catch((error: Error) => {
  new Logger('Migrate').fatal(loggableError(error));
  process.exit(1);
});
