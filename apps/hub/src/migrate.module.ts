import { Module } from '@nestjs/common';
import { ConfigModule } from '@nazorg/config';
import { PersistenceModule } from '@nazorg/persistence';
import { PrivacyModule } from '@nazorg/privacy';

/**
 * Only the configuration and PostgreSQL: PersistenceModule's DatabaseMigrator applies the pending
 * migrations during init, without the brokers or any consumer.
 */
@Module({ imports: [ConfigModule.forRoot(), PrivacyModule, PersistenceModule] })
export class MigrateModule {}
