import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AmqpConnection } from '@nazorg/messaging';
import { DataSource } from 'typeorm';

export interface ReadinessChecks {
  database: boolean;
  rabbitmq: boolean;
}

/** A dependency that does not answer within this time counts as down: a probe must not hang. */
const CHECK_TIMEOUT_MS = 2000;

/** Whether the dependencies the operations API needs answer right now. */
@Injectable()
export class ReadinessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly amqp: AmqpConnection,
  ) {}

  async check(): Promise<ReadinessChecks> {
    const [database, rabbitmq] = await Promise.all([
      withinTimeout(this.db.query('select 1')),
      // The connection object outlives a lost connection (it recovers in the background), so open
      // and close a channel: that only succeeds on a live connection.
      withinTimeout(this.amqp.currentModel().then(async (model) => (await model.createChannel()).close())),
    ]);
    return { database, rabbitmq };
  }
}

async function withinTimeout(probe: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      probe.then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
