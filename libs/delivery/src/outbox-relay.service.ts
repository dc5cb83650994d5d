import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import {
  DETENTION_ERASURE,
  DetentionErasurePort,
  NotifiedWorkLoop,
  OUTBOX_CHANNEL,
  WorkPass,
} from '@nazorg/persistence';
import { loggableError, PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { BrokerDeadLettersService } from './broker-dead-letters.service';
import { RelayOutboxBatchUseCase } from './relay-outbox-batch.use-case';

/**
 * Runs the outbox relay: OUTBOX_RELAY_CONCURRENCY passes side by side (batches in flight at once),
 * woken at once by the NOTIFY that a storing transaction sends on commit, and by a poll as a
 * safety net. A failed row stays unpublished and is tried again with back-off: a stored event is
 * always delivered, and never before it is stored.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly loop: NotifiedWorkLoop;
  private erasing = false;

  constructor(
    private readonly relayBatch: RelayOutboxBatchUseCase,
    @Inject(DETENTION_ERASURE) private readonly erasure: DetentionErasurePort,
    private readonly brokerDeadLetters: BrokerDeadLettersService,
    config: AppConfig,
    @Inject(PSEUDONYMIZER) private readonly pseudonymizer: PseudonymizerPort,
  ) {
    this.loop = new NotifiedWorkLoop({
      name: 'OutboxRelay',
      channel: OUTBOX_CHANNEL,
      databaseUrl: config.DATABASE_URL,
      pollMs: config.OUTBOX_POLL_MS,
      retryBaseMs: config.DELIVERY_RETRY_BASE_MS,
      concurrency: config.OUTBOX_RELAY_CONCURRENCY,
      pass: () => this.pass(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Parked deliveries get one more try per start: the configuration that refused them may be fixed.
    const unparked = await this.relayBatch.unpark();
    if (unparked > 0) this.logger.log(`${unparked} parked deliveries are due again`);
    return this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** Relaying (readiness, ADR 0019). */
  isRunning(): boolean {
    return this.loop.isRunning();
  }

  /** Publishes until nothing is due; returns how many rows it handled (tests, benchmarks). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.relayBatch.execute();
      if (n === 0) return total;
      total += n;
    }
  }

  private async pass(): Promise<WorkPass> {
    // Anything sent may make the next row of its detention and recipient due: look again at once.
    const handled = await this.relayBatch.execute();
    if (handled > 0) return 'more';
    await this.eraseWithdrawn();
    // A failed delivery waits for its own next attempt; only a pass that throws (the database)
    // makes the whole loop back off.
    return 'idle';
  }

  /** A withdrawn detention is erased once its withdrawal has gone out to everyone (one pass at a time). */
  private async eraseWithdrawn(): Promise<void> {
    if (this.erasing) return;
    this.erasing = true;
    try {
      const erased = await this.erasure.eraseDelivered(this.pseudonymizer, 50);
      if (erased > 0) {
        this.logger.log(`erased ${erased} withdrawn detention(s)`);
        await this.dropErasedDeadLetters();
      }
    } finally {
      this.erasing = false;
    }
  }

  /** What the broker still holds about them in dead-letter queues goes too (retried at housekeeping). */
  private async dropErasedDeadLetters(): Promise<void> {
    try {
      const dropped = await this.brokerDeadLetters.dropErased();
      if (dropped > 0) this.logger.log(`dropped ${dropped} broker dead letter(s) of erased detentions`);
    } catch (error) {
      this.logger.warn(`dropping broker dead letters of erased detentions failed: ${loggableError(error)}`);
    }
  }
}
