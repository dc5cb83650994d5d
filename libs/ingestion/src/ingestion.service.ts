import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DetentionEvent, EventValidation, validateDetentionEvent, Violation } from '@nazorg/contracts';
import { DEAD_LETTER_STORE, DeadLetterStorePort, IngressChannel, RoutingStatus } from '@nazorg/persistence';
import { inSpan, METRICS, MetricsPort } from '@nazorg/observability';
import { DeliveryPlanner } from '@nazorg/routing';
import { onlyWithdrawalPending } from './consistency/detention-facts';
import { RecordEventsUseCase } from './recording/record-events.use-case';

export type IngestOutcome =
  | { outcome: 'stored'; routingStatus: RoutingStatus; deliveries: number }
  | { outcome: 'duplicate' }
  | { outcome: 'rejected'; violations: Violation[]; deadLetterId: string | null }
  /**
   * Valid on its own, but it contradicts what the hub knows of its detention (a release before the
   * start, a start naming another tenant): kept as a dead letter like a rejected one, not stored.
   */
  | { outcome: 'conflict'; violations: Violation[]; deadLetterId: string | null }
  /** A new start while its detention's withdrawal is still going out: nothing kept, try again shortly. */
  | { outcome: 'deferred'; violations: Violation[] }
  /** The credential (HTTP token, RabbitMQ user) belongs to another source than the event's; nothing is stored. */
  | { outcome: 'forbidden' };

/**
 * Where every event enters, whatever the channel: validate, keep the rejected in the dead-letter
 * store with their reasons, store the valid once and route them in the same transaction.
 * Expected failures are typed outcomes; only infrastructure failures throw (the caller retries).
 */
@Injectable()
export class IngestionService {
  private readonly logger = new Logger(IngestionService.name);
  /** The validations `inBatch` made, by input, for the `ingest` calls inside it. */
  private readonly batchValidations = new AsyncLocalStorage<Map<Buffer, EventValidation>>();

  constructor(
    private readonly recording: RecordEventsUseCase,
    @Inject(DEAD_LETTER_STORE) private readonly deadLetters: DeadLetterStorePort,
    private readonly planner: DeliveryPlanner,
    @Inject(METRICS) private readonly metrics: MetricsPort,
  ) {}

  /**
   * Runs `work`, whose `ingest` calls are these inputs' (a Kafka batch, in order), as one batch of
   * the event store: one transaction, their detentions read at once, their rows written at once
   * (ADR 0022, 0028). Each input is validated once, here; `ingest` answers for each as on its own.
   */
  inBatch<T>(inputs: readonly Buffer[], work: () => Promise<T>): Promise<T> {
    const now = new Date();
    const validations = new Map(inputs.map((input) => [input, validateDetentionEvent(input, now)]));
    const events = [...validations.values()].flatMap((v) => (v.valid ? [v.event] : []));
    return this.recording.inBatch(events, () => this.batchValidations.run(validations, work));
  }

  async ingest(
    input: Buffer,
    channel: IngressChannel,
    /** `keepRejected: false` for a replay: the dead letter being replayed already holds the input. */
    options: { allowedSources?: readonly string[]; now?: Date; keepRejected?: boolean } = {},
  ): Promise<IngestOutcome> {
    const receivedAt = performance.now();
    this.metrics.eventReceived(channel);
    const validation =
      (options.now === undefined && this.batchValidations.getStore()?.get(input)) ||
      validateDetentionEvent(input, options.now ?? new Date());
    if (!validation.valid) {
      this.metrics.eventRejected(channel, 'invalid');
      if (options.keepRejected === false)
        return { outcome: 'rejected', violations: validation.violations, deadLetterId: null };
      const deadLetterId = await this.deadLetters.record({
        channel,
        payload: input,
        violations: validation.violations,
        hints: validation.hints,
        subjectPseudonym: this.subjectPseudonym(validation.hints.subject),
      });
      // Paths and rule texts only: they never hold field values.
      this.logger.warn(
        `rejected an event from ${channel} (dead letter ${deadLetterId}): ${validation.violations.map((v) => v.path).join(', ')}`,
      );
      return { outcome: 'rejected', violations: validation.violations, deadLetterId };
    }
    if (options.allowedSources && !options.allowedSources.includes(validation.event.source)) {
      this.metrics.eventRejected(channel, 'forbidden');
      return { outcome: 'forbidden' };
    }
    const outcome = await this.store(input, validation.event, channel, options.keepRejected !== false);
    if (outcome.outcome === 'duplicate') this.metrics.eventDuplicate(channel);
    else if (outcome.outcome === 'stored')
      this.metrics.eventStored(channel, validation.event.type, (performance.now() - receivedAt) / 1000);
    else if (outcome.outcome === 'conflict') this.metrics.eventRejected(channel, 'inconsistent');
    return outcome;
  }

  /** Keeps an input refused before validation (e.g. its content type) as a dead letter. */
  async refuse(input: Buffer, channel: IngressChannel, violations: Violation[]): Promise<string> {
    const validation = validateDetentionEvent(input, new Date());
    const hints = validation.valid
      ? {
          id: validation.event.id,
          source: validation.event.source,
          type: validation.event.type,
          subject: validation.event.subject,
        }
      : validation.hints;
    const deadLetterId = await this.deadLetters.record({
      channel,
      payload: input,
      violations,
      hints,
      subjectPseudonym: this.subjectPseudonym(hints.subject),
    });
    this.logger.warn(
      `refused an input from ${channel} (dead letter ${deadLetterId}): ${violations.map((v) => v.path).join(', ')}`,
    );
    return deadLetterId;
  }

  /**
   * Keeps an input that kept failing to be stored as a dead letter, so operations see it and can
   * replay it once the cause is fixed. Throws when even that fails (then the caller retries).
   */
  async park(input: Buffer, channel: IngressChannel, attempts: number, failure: string): Promise<string> {
    const validation = validateDetentionEvent(input, new Date());
    const deadLetterId = await this.deadLetters.record({
      channel,
      payload: input,
      violations: [
        {
          path: '$',
          message: `could not be stored after ${attempts} attempts (${failure}); kept for replay`,
        },
      ],
      hints: validation.valid
        ? { id: validation.event.id, source: validation.event.source, type: validation.event.type }
        : validation.hints,
      subjectPseudonym: this.subjectPseudonym(
        validation.valid ? validation.event.subject : validation.hints.subject,
      ),
    });
    this.metrics.eventRejected(channel, 'parked');
    this.logger.error(
      `parked an event from ${channel} after ${attempts} attempts (dead letter ${deadLetterId})`,
    );
    return deadLetterId;
  }

  private subjectPseudonym(subject: string | undefined): string | null {
    return subject ? this.planner.pseudonym(subject) : null;
  }

  private async store(
    input: Buffer,
    event: DetentionEvent,
    channel: IngressChannel,
    keepRejected: boolean,
  ): Promise<IngestOutcome> {
    // The outbox rows written here carry this span's context, so their publish continues the trace.
    const recorded = await inSpan(
      'store and route',
      { attributes: { 'nazorg.channel': channel, 'nazorg.event_type': event.type } },
      () => this.recording.record(event, channel),
    );
    if (recorded.outcome === 'inconsistent') {
      const { violations } = recorded;
      if (onlyWithdrawalPending(violations)) return { outcome: 'deferred', violations };
      if (!keepRejected) return { outcome: 'conflict', violations, deadLetterId: null };
      // Kept like an invalid input, replayable: once the facts are corrected it may well pass.
      const deadLetterId = await this.deadLetters.record({
        channel,
        payload: input,
        violations,
        hints: { id: event.id, source: event.source, type: event.type },
        subjectPseudonym: this.subjectPseudonym(event.subject),
      });
      this.logger.warn(
        `refused an event from ${channel} that contradicts its detention (dead letter ${deadLetterId}): ${violations.map((v) => v.path).join(', ')}`,
      );
      return { outcome: 'conflict', violations, deadLetterId };
    }
    // Type, channel and counts only: never the subject or the data.
    this.logger.debug(
      recorded.outcome === 'duplicate'
        ? `duplicate ${event.type} from ${channel}`
        : `stored ${event.type} from ${channel}: ${recorded.routingStatus}, ${recorded.deliveries} deliveries`,
    );
    if (recorded.outcome === 'duplicate') return { outcome: 'duplicate' };
    for (const displaced of recorded.displaced ?? []) {
      // A waiting event its start contradicts: refused now, kept as a dead letter by the store.
      this.metrics.eventRejected(displaced.channel, 'inconsistent');
      this.logger.warn(
        `refused an earlier event from ${displaced.channel} that contradicts its start (dead letter ${displaced.deadLetterId}): ${displaced.violations.map((v) => v.path).join(', ')}`,
      );
    }
    return { outcome: 'stored', routingStatus: recorded.routingStatus, deliveries: recorded.deliveries };
  }
}
