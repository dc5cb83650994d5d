import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context (`traceparent`, `tracestate`) of the transaction that wrote an outbox row,
 * so the relay's publish span continues the trace of the ingest that stored the event, whenever
 * and by whichever relay it is published (docs/adr/0016). Null when tracing was off.
 */
export class DeliveryTraceContext1764119500000 implements MigrationInterface {
  name = 'DeliveryTraceContext1764119500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table delivery add column trace_context jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table delivery drop column trace_context`);
  }
}
