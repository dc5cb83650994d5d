import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { CASE_REFRESH_CHANNEL, CASE_STORE, CaseStorePort, NotifiedWorkLoop } from '@nazorg/persistence';
import { errorName, isInfrastructureFailure } from '@nazorg/messaging';
import { CaseProjectorService } from './case-projector.service';
import { inSpan } from '@nazorg/observability';

/**
 * Detentions per pass: read and decided first, then written in one transaction under their locks
 * (only those nothing changed meanwhile); small, so an event of one of them waits briefly.
 */
const BATCH = 25;

/**
 * Works off `case_refresh`: the event store and the result store queue a detention there in the
 * transaction that stored its event or result, and NOTIFY. Projection is thereby off the ingest
 * path (ingest stays fast) and never lost (the request stays until a projection answered it).
 */
@Injectable()
export class CaseRefreshWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CaseRefreshWorker.name);
  private readonly loop: NotifiedWorkLoop;

  constructor(
    @Inject(CASE_STORE) private readonly store: CaseStorePort,
    private readonly projector: CaseProjectorService,
    private readonly config: AppConfig,
  ) {
    this.loop = new NotifiedWorkLoop({
      name: CaseRefreshWorker.name,
      channel: CASE_REFRESH_CHANNEL,
      databaseUrl: config.DATABASE_URL,
      pollMs: config.OUTBOX_POLL_MS,
      retryBaseMs: config.DELIVERY_RETRY_BASE_MS,
      pass: async () => {
        await this.drain(undefined, { skipLocked: true });
        return 'idle';
      },
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.loop.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Projects every queued detention; returns how many (tests wait on it instead of sleeping).
   * One detention that fails does not hold up the others. The database away: it stays queued.
   * A failure on its data: counted, and after CASE_PROJECTION_MAX_ATTEMPTS parked for operations
   * (docs/adr/0013). Either way the pass throws after the batch so the loop backs off.
   */
  async drain(now?: Date, { skipLocked = false }: { skipLocked?: boolean } = {}): Promise<number> {
    let total = 0;
    for (;;) {
      const pending = await this.store.pendingRefreshes(BATCH);
      const projected = pending.length > 1 ? await this.projectedAll(pending, now, skipLocked) : undefined;
      if (projected !== undefined) {
        total += projected;
        // Less than a batch, or some locked (left queued): what is queued now waits for the next
        // notification, not a pass over the same locked detentions again.
        if (pending.length < BATCH || projected < pending.length) return total;
        continue;
      }
      let failed = 0;
      for (const request of pending) {
        try {
          // Its own trace: what the projection sends (DPAN answer, alerts) continues from this span.
          await inSpan('case projection', {}, () =>
            this.projector.refresh(request.detentionId, now, request),
          );
          total++;
        } catch (error) {
          failed++;
          // The error's class only: its message may quote the case's data.
          this.logger.warn(`case projection of one detention failed: ${errorName(error)}`);
          if (!isInfrastructureFailure(error)) await this.countFailure(request.detentionId, error);
        }
      }
      if (failed > 0) throw new Error(`${failed} case projection(s) failed, kept queued`);
      if (pending.length < BATCH) return total;
    }
  }

  /**
   * The batch in one transaction (ADR 0028): how many it projected; undefined when that failed,
   * and nothing of it was kept: then each goes on its own, so one failing on its data is found.
   */
  private async projectedAll(
    pending: readonly { detentionId: string; requestedAt: string }[],
    now: Date | undefined,
    skipLocked: boolean,
  ): Promise<number | undefined> {
    try {
      const { projected } = await inSpan(
        'case projection',
        { attributes: { 'nazorg.cases': pending.length } },
        () => this.projector.refreshAll(pending, now, { skipLocked }),
      );
      return projected;
    } catch {
      return undefined;
    }
  }

  private async countFailure(detentionId: string, error: unknown): Promise<void> {
    const outcome = await this.store.recordProjectionFailure(
      detentionId,
      errorName(error),
      this.config.CASE_PROJECTION_MAX_ATTEMPTS,
    );
    if (outcome === 'parked')
      this.logger.error(
        `parked the case projection of one detention after ${this.config.CASE_PROJECTION_MAX_ATTEMPTS} attempts (${errorName(error)}); see /api/v1/flows projectionFailures`,
      );
  }
}
