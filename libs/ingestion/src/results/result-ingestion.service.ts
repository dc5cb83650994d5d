import { Inject, Injectable, Logger } from '@nestjs/common';
import { RESULT_TYPES_OF_KIND, RecipientKind, validateConnectorResult, Violation } from '@nazorg/contracts';
import {
  CONNECTOR_RESULT_STORE,
  ConnectorResultStorePort,
  DEAD_LETTER_STORE,
  DeadLetterStorePort,
} from '@nazorg/persistence';
import { trace } from '@opentelemetry/api';
import { METRICS, MetricsPort } from '@nazorg/observability';
import { DeliveryPlanner, TenantDirectory } from '@nazorg/routing';
import { BrokerPublishers } from '../broker/broker-publishers';

export type ResultIngestOutcome =
  | { outcome: 'stored' | 'duplicate' | 'unsolicited' }
  | { outcome: 'rejected'; violations: Violation[]; deadLetterId: string | null };

/** Dead letters of connector results carry this channel; replay sends them back here. */
export const RESULTS_CHANNEL = 'results';

/**
 * Where connector results enter: validated as strictly as feed events (limits, envelope, a schema
 * per type), the recipient's kind must match the result type, and a rejected result is kept as a
 * dead letter with its reasons, never in `connector_result` (where one bad result would break the
 * case projection and every loop over cases). Only infrastructure failures throw.
 */
@Injectable()
export class ResultIngestionService {
  private readonly logger = new Logger(ResultIngestionService.name);

  constructor(
    @Inject(CONNECTOR_RESULT_STORE) private readonly results: ConnectorResultStorePort,
    @Inject(DEAD_LETTER_STORE) private readonly deadLetters: DeadLetterStorePort,
    private readonly planner: DeliveryPlanner,
    private readonly directory: TenantDirectory,
    @Inject(METRICS) private readonly metrics: MetricsPort,
    private readonly publishers: BrokerPublishers,
  ) {}

  async ingest(
    input: Buffer,
    options: {
      now?: Date;
      keepRejected?: boolean;
      /**
       * The broker-validated user that published it (`null`: none set), checked against the
       * recipient's connector (docs/adr/0010). Left out for an operator's replay of a dead letter.
       */
      publisher?: string | null;
    } = {},
  ): Promise<ResultIngestOutcome> {
    const validation = validateConnectorResult(input, options.now ?? new Date());
    const violations = validation.valid
      ? this.senderViolations(validation.result, options.publisher)
      : validation.violations;
    if (violations.length > 0 || !validation.valid) {
      if (options.keepRejected === false) return { outcome: 'rejected', violations, deadLetterId: null };
      const hints = validation.valid
        ? { id: validation.result.id, source: validation.result.source, type: validation.result.type }
        : validation.hints;
      const subject = validation.valid ? validation.result.subject : validation.hints.subject;
      const deadLetterId = await this.deadLetters.record({
        channel: RESULTS_CHANNEL,
        payload: input,
        violations,
        hints,
        subjectPseudonym: subject ? this.planner.pseudonym(subject) : null,
      });
      // Paths and rule texts only.
      this.logger.warn(
        `rejected a connector result (dead letter ${deadLetterId}): ${violations.map((v) => v.path).join(', ')}`,
      );
      return { outcome: 'rejected', violations, deadLetterId };
    }
    const result = validation.result;
    const outcome = await this.results.record(result, {
      pseudonyms: this.planner.pseudonymCandidates(result.data.detentionId),
      eventId: this.planner.erasedEventId(result.source, result.id),
    });
    trace.getActiveSpan()?.setAttributes({
      'nazorg.recipient_id': result.data.recipientId,
      'nazorg.result_type': result.type,
    });
    // Only for a recipient the hub delivered to: a label never takes an unknown sender's value.
    if (outcome !== 'unsolicited')
      this.metrics.resultReceived(result.data.recipientId, result.type, result.data.outcome);
    return { outcome };
  }

  /**
   * The recipient must be a configured one whose kind sends this result type (never `ops`), and
   * the publisher, when known, that recipient's connector user.
   */
  private senderViolations(
    result: { type: string; data: { recipientId: string } },
    publisher: string | null | undefined,
  ): Violation[] {
    const known = this.directory.recipient(result.data.recipientId);
    if (!known) return [{ path: '$.data.recipientId', message: 'is not a configured recipient' }];
    const kind = known.recipient.kind as RecipientKind;
    const allowed = RESULT_TYPES_OF_KIND[kind] ?? [];
    if (!(allowed as readonly string[]).includes(result.type)) {
      return [{ path: '$.type', message: `a ${kind} recipient may not send this result type` }];
    }
    if (publisher !== undefined) {
      const refusal = this.publishers.resultRefusal(publisher ?? undefined, result.data.recipientId);
      if (refusal) return [{ path: 'user_id', message: refusal }];
    }
    return [];
  }
}
