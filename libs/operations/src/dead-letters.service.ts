import { Inject, Injectable } from '@nestjs/common';
import { IngestionService, RESULTS_CHANNEL, ResultIngestionService } from '@nazorg/ingestion';
import { DEAD_LETTER_STORE, DeadLetterStorePort } from '@nazorg/persistence';

/**
 * What operations see of a dead letter: why it was refused and where it came from, never the
 * payload (it may be full of personal data) nor the event id (the sender chooses it, and may put a
 * detention id in it).
 */
export interface DeadLetterView {
  id: string;
  channel: string;
  receivedAt: Date;
  violations: { path: string; message: string }[];
  payloadBytes: number;
  source: string | null;
  type: string | null;
  status: string;
  replayedAt: Date | null;
}

export type DeadLetterStatus = 'open' | 'replayed' | 'purged';

export type ReplayOutcome =
  | { outcome: 'not-found' }
  | { outcome: 'still-invalid'; violations: { path: string; message: string }[] }
  | { outcome: 'stored' | 'duplicate' };

/** Dead letters for operators: list them without their payload, and replay them. */
@Injectable()
export class DeadLettersService {
  constructor(
    @Inject(DEAD_LETTER_STORE) private readonly store: DeadLetterStorePort,
    private readonly ingestion: IngestionService,
    private readonly results: ResultIngestionService,
  ) {}

  /** Newest first. */
  async list(options: {
    status?: DeadLetterStatus;
    limit: number;
    offset: number;
  }): Promise<DeadLetterView[]> {
    const rows = await this.store.list(options);
    // Field by field: a field added to the stored summary later does not reach operations unseen.
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      receivedAt: r.receivedAt,
      violations: r.violations.map((v) => ({ path: v.path, message: v.message })),
      payloadBytes: r.payloadBytes,
      source: r.source,
      type: r.type,
      status: r.status,
      replayedAt: r.replayedAt,
    }));
  }

  /**
   * Sends the stored payload through the ingestion pipeline again, as channel `replay`. A replay
   * that is still invalid records no new dead letter (`keepRejected: false`): the dead letter being
   * replayed already holds that input, and it stays open.
   */
  async replay(id: string): Promise<ReplayOutcome> {
    const stored = await this.store.payloadOf(id);
    if (!stored) return { outcome: 'not-found' };
    if (stored.channel === RESULTS_CHANNEL) return this.replayResult(id, stored);
    const result = await this.ingestion.ingest(stored.payload, 'replay', { keepRejected: false });
    switch (result.outcome) {
      // `conflict`: still contradicting what is known of its detention (no correction came yet).
      // `deferred`: a withdrawal of its detention is still going out; replay again shortly.
      case 'rejected':
      case 'conflict':
      case 'deferred':
        return {
          outcome: 'still-invalid',
          violations: result.violations.map((v) => ({ path: v.path, message: v.message })),
        };
      case 'stored':
      case 'duplicate':
        // A duplicate means the event is in the hub already (it came in again, or was replayed
        // before): this dead letter is settled as well. The first replay's time is kept.
        if (stored.status === 'open') await this.store.markReplayed(id);
        return { outcome: result.outcome };
      case 'forbidden':
        // Only for HTTP ingress with a source-bound credential, which a replay does not pass.
        throw new Error('a replay has no source-bound credential');
    }
  }

  /** A connector result goes back through result ingestion (not the feed's pipeline). */
  private async replayResult(
    id: string,
    stored: { payload: Buffer; status: string },
  ): Promise<ReplayOutcome> {
    const result = await this.results.ingest(stored.payload, { keepRejected: false });
    if (result.outcome === 'rejected') return { outcome: 'still-invalid', violations: result.violations };
    if (result.outcome === 'unsolicited')
      return {
        outcome: 'still-invalid',
        violations: [
          { path: '$.data.recipientId', message: 'no delivery to this recipient about this detention' },
        ],
      };
    if (stored.status === 'open') await this.store.markReplayed(id);
    return { outcome: result.outcome };
  }
}
