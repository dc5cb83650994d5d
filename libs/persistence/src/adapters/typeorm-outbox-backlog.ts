import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxBacklogCount, OutboxBacklogPort } from '../ports/outbox-backlog.port';

/** One grouped count over the partial index of unpublished rows (ix_delivery_pending): cheap. */
@Injectable()
export class TypeormOutboxBacklog implements OutboxBacklogPort {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async backlog(): Promise<OutboxBacklogCount[]> {
    const rows: { recipient_id: string; failing: boolean; count: string }[] = await this.dataSource.query(
      `select recipient_id, publish_attempts > 0 as failing, count(*) as count
       from delivery where published_at is null group by 1, 2`,
    );
    return rows.map((r) => ({
      recipientId: r.recipient_id,
      state: r.failing ? 'failing' : 'pending',
      count: Number(r.count),
    }));
  }
}
