import { Inject, Injectable, Logger } from '@nestjs/common';
import { DetentionEvent, DetentionStartedData, validateDetentionEvent, Violation } from '@nazorg/contracts';
import {
  DEAD_LETTER_STORE,
  DeadLetterStorePort,
  EVENT_STORE,
  EventRouter,
  EventStorePort,
  IngressChannel,
  RoutingStatus,
} from '@nazorg/persistence';
import { DeliveryPlanner, TenantDirectory } from '@nazorg/routing';

export type IngestOutcome =
  | { outcome: 'stored'; routingStatus: RoutingStatus; deliveries: number }
  | { outcome: 'duplicate' }
  | { outcome: 'rejected'; violations: Violation[]; deadLetterId: string | null }
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
  private readonly router: EventRouter;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStorePort,
    @Inject(DEAD_LETTER_STORE) private readonly deadLetters: DeadLetterStorePort,
    planner: DeliveryPlanner,
    directory: TenantDirectory,
  ) {
    this.router = {
      pseudonym: (detentionId) => planner.pseudonym(detentionId),
      tenantOf: (started) =>
        directory.tenantFor((started.data as DetentionStartedData).municipalityOfOrigin)?.id ?? null,
      plan: (event, context) => planner.plan(event, context),
    };
  }

  async ingest(
    input: Buffer,
    channel: IngressChannel,
    /** `keepRejected: false` for a replay: the dead letter being replayed already holds the input. */
    options: { allowedSources?: readonly string[]; now?: Date; keepRejected?: boolean } = {},
  ): Promise<IngestOutcome> {
    const validation = validateDetentionEvent(input, options.now ?? new Date());
    if (!validation.valid) {
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
    if (options.allowedSources && !options.allowedSources.includes(validation.event.source))
      return { outcome: 'forbidden' };
    return this.store(validation.event, channel);
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
    this.logger.error(
      `parked an event from ${channel} after ${attempts} attempts (dead letter ${deadLetterId})`,
    );
    return deadLetterId;
  }

  private subjectPseudonym(subject: string | undefined): string | null {
    return subject ? this.router.pseudonym(subject) : null;
  }

  private async store(event: DetentionEvent, channel: IngressChannel): Promise<IngestOutcome> {
    const recorded = await this.events.record(event, channel, this.router);
    // Type, channel and counts only: never the subject or the data.
    this.logger.debug(
      recorded.outcome === 'duplicate'
        ? `duplicate ${event.type} from ${channel}`
        : `stored ${event.type} from ${channel}: ${recorded.routingStatus}, ${recorded.deliveries} deliveries`,
    );
    if (recorded.outcome === 'duplicate') return { outcome: 'duplicate' };
    return { outcome: 'stored', routingStatus: recorded.routingStatus, deliveries: recorded.deliveries };
  }
}
