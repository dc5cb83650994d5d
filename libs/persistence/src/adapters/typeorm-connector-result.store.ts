import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CloudEvent, ConnectorResultData } from '@nazorg/contracts';
import { DataSource } from 'typeorm';
import { ConnectorResultStorePort } from '../ports/connector-result-store.port';

@Injectable()
export class TypeormConnectorResultStore implements ConnectorResultStorePort {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(result: CloudEvent<ConnectorResultData>): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `insert into connector_result (source, event_id, type, detention_id, recipient_id, tenant_id, outcome, event)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (source, event_id) do nothing returning id`,
      [
        result.source,
        result.id,
        result.type,
        result.data.detentionId,
        result.data.recipientId,
        result.tenant ?? null,
        result.data.outcome,
        result,
      ],
    );
    return rows.length > 0;
  }
}
