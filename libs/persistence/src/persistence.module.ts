import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@nazorg/config';
import { TypeormQueryLogger } from './typeorm-query.logger';
import { TypeormCaseStore } from './adapters/typeorm-case.store';
import { CASE_STORE } from './ports/case-store.port';
import { TypeormConnectorResultStore } from './adapters/typeorm-connector-result.store';
import { TypeormDeadLetterStore } from './adapters/typeorm-dead-letter.store';
import { TypeormDetentionErasure } from './adapters/typeorm-detention.erasure';
import { TypeormDetentionRecords } from './adapters/typeorm-detention.records';
import { TypeormInboundEventRecords } from './adapters/typeorm-inbound-event.records';
import { TypeormOutboxWriter } from './adapters/typeorm-outbox.writer';
import { TypeormCaseRefreshRequests } from './adapters/typeorm-case-refresh.requests';
import { TypeormDataKeyPreload } from './adapters/typeorm-data-key.preload';
import { TypeormOutboxRepository } from './adapters/typeorm-outbox.repository';
import { TypeormDisclosureRecordRepository } from './adapters/typeorm-disclosure-record.repository';
import { TypeormUnitOfWork } from './adapters/typeorm.unit-of-work';
import { DISCLOSURE_RECORDS } from './ports/disclosure-record.port';
import { UNIT_OF_WORK } from './ports/unit-of-work.port';
import { TypeormOutboxBacklog } from './adapters/typeorm-outbox-backlog';
import { OUTBOX_BACKLOG } from './ports/outbox-backlog.port';
import { DatabaseMigrator } from './database.migrator';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { AesGcmDataCipher } from './encryption/aes-gcm.data-cipher';
import { DATA_CIPHER } from './encryption/data-cipher.port';
import { DETENTION_KEYS } from './encryption/detention-keys.port';
import { TypeormDetentionKeys } from './encryption/typeorm-detention.keys';
import { SEALED_DATA_REKEYER } from './encryption/sealed-data-rekeyer.port';
import { TypeormSealedDataRekeyer } from './encryption/typeorm-sealed-data.rekeyer';
import { CONNECTOR_RESULT_STORE } from './ports/connector-result-store.port';
import { DEAD_LETTER_STORE } from './ports/dead-letter-store.port';
import { DETENTION_ERASURE } from './ports/detention-erasure.port';
import { DETENTION_RECORDS } from './ports/detention-records.port';
import { INBOUND_EVENT_RECORDS } from './ports/inbound-event-records.port';
import { OUTBOX_WRITER } from './ports/outbox-writer.port';
import { CASE_REFRESH_REQUESTS } from './ports/case-refresh-requests.port';
import { DATA_KEY_PRELOAD } from './ports/data-key-preload.port';
import { OUTBOX } from './ports/outbox.port';
import { LEADER_ELECTION } from './ports/leader-election.port';
import { PgAdvisoryLeaderElection } from './adapters/pg-advisory.leader-election';

/**
 * PostgreSQL through TypeORM: schema by migrations only (never `synchronize`). Needs the global
 * ConfigModule and PrivacyModule (the cipher finds a detention's data key by its pseudonym).
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        type: 'postgres' as const,
        url: config.DATABASE_URL,
        entities: ENTITIES,
        migrations: MIGRATIONS,
        synchronize: false,
        migrationsRun: false,
        logging: ['error'],
        logger: new TypeormQueryLogger(),
        maxQueryExecutionTime: 5000,
        poolSize: config.DATABASE_POOL_SIZE,
        retryAttempts: 10,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [
    DatabaseMigrator,
    { provide: DATA_CIPHER, useClass: AesGcmDataCipher },
    { provide: DETENTION_KEYS, useClass: TypeormDetentionKeys },
    { provide: SEALED_DATA_REKEYER, useClass: TypeormSealedDataRekeyer },
    { provide: DETENTION_RECORDS, useClass: TypeormDetentionRecords },
    { provide: INBOUND_EVENT_RECORDS, useClass: TypeormInboundEventRecords },
    { provide: OUTBOX_WRITER, useClass: TypeormOutboxWriter },
    { provide: CASE_REFRESH_REQUESTS, useClass: TypeormCaseRefreshRequests },
    { provide: DATA_KEY_PRELOAD, useClass: TypeormDataKeyPreload },
    TypeormUnitOfWork,
    { provide: UNIT_OF_WORK, useExisting: TypeormUnitOfWork },
    { provide: OUTBOX, useClass: TypeormOutboxRepository },
    { provide: DISCLOSURE_RECORDS, useClass: TypeormDisclosureRecordRepository },
    { provide: OUTBOX_BACKLOG, useClass: TypeormOutboxBacklog },
    { provide: DEAD_LETTER_STORE, useClass: TypeormDeadLetterStore },
    { provide: CONNECTOR_RESULT_STORE, useClass: TypeormConnectorResultStore },
    { provide: DETENTION_ERASURE, useClass: TypeormDetentionErasure },
    { provide: CASE_STORE, useClass: TypeormCaseStore },
    // Enters an election only when a job asks (hub housekeeping, the ops monitor): ADR 0019.
    { provide: LEADER_ELECTION, useClass: PgAdvisoryLeaderElection },
  ],
  exports: [
    DETENTION_RECORDS,
    INBOUND_EVENT_RECORDS,
    OUTBOX_WRITER,
    CASE_REFRESH_REQUESTS,
    DATA_KEY_PRELOAD,
    UNIT_OF_WORK,
    OUTBOX,
    DISCLOSURE_RECORDS,
    OUTBOX_BACKLOG,
    DEAD_LETTER_STORE,
    CONNECTOR_RESULT_STORE,
    DETENTION_ERASURE,
    CASE_STORE,
    DATA_CIPHER,
    SEALED_DATA_REKEYER,
    LEADER_ELECTION,
    TypeOrmModule,
  ],
})
export class PersistenceModule {}
