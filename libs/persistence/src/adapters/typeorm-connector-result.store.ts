import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CloudEvent, ConnectorResultData } from '@nazorg/contracts';
import { DataSource } from 'typeorm';
import { ConnectorResultStorePort } from '../ports/connector-result-store.port';
import { DATA_CIPHER, DataCipherPort } from '../encryption/data-cipher.port';
import { envelopeOf, erasedStub } from './stored-envelopes';
import { requestCaseRefresh } from './typeorm-case-refresh.requests';
import { CASE_REFRESH_CHANNEL } from './work-channels';

@Injectable()
export class TypeormConnectorResultStore implements ConnectorResultStorePort {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
  ) {}

  async record(
    result: CloudEvent<ConnectorResultData>,
    { pseudonyms, eventId: erasedId }: { pseudonyms: readonly string[]; eventId: string },
  ): Promise<'stored' | 'duplicate' | 'unsolicited'> {
    return this.dataSource.transaction(async (em) => {
      // The detention's lock, as storing and erasing take it: an erasure committing between the
      // two reads below (it moves the deliveries to the pseudonym) made a valid result look
      // unsolicited (seen with two hubs in the fault suite). Each read after the lock sees it whole.
      await em.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [result.data.detentionId]);
      // A superseded trace belongs to a withdrawn notification: the detention id is a new one's now.
      // Erased under the current key or a previous one (ADR 0023).
      const erased: { detention_id: string }[] = await em.query(
        `select detention_id from detention
         where detention_id = any($1) and erased_at is not null and superseded_at is null
         order by erased_at desc limit 1`,
        [pseudonyms],
      );
      // The deliveries it answers are where the erasure moved them; the result is stored under
      // the current key's pseudonym, as every new row is.
      const detentionId = erased.length ? pseudonyms[0] : result.data.detentionId;
      const answered: { tenant_id: string }[] = await em.query(
        `select tenant_id from delivery where detention_id = $1 and recipient_id = $2 limit 1`,
        [erased.length ? erased[0].detention_id : result.data.detentionId, result.data.recipientId],
      );
      if (answered.length === 0) return 'unsolicited';
      const id = randomUUID();
      // A result about an erased detention is kept inert: its envelope only.
      const sealed = erased.length
        ? null
        : await this.cipher.sealJsonFor(
            result,
            { detentionId: result.data.detentionId },
            { context: 'connector_result.event', row: id },
            em,
          );
      const rows: unknown[] = await em.query(
        `insert into connector_result (id, source, event_id, type, detention_id, recipient_id, tenant_id, outcome,
                                       event, event_sealed, key_id)
         values ($11, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (source, event_id) do nothing returning id`,
        [
          result.source,
          erased.length ? erasedId : result.id,
          result.type,
          detentionId,
          result.data.recipientId,
          answered[0].tenant_id,
          result.data.outcome,
          erased.length ? erasedStub(result) : envelopeOf(result),
          sealed?.sealed ?? null,
          sealed?.keyId ?? null,
          id,
        ],
      );
      if (rows.length > 0 && !erased.length) {
        await requestCaseRefresh(em, [result.data.detentionId]);
        await em.query(`select pg_notify($1, '')`, [CASE_REFRESH_CHANNEL]);
      }
      return rows.length > 0 ? 'stored' : 'duplicate';
    });
  }
}
