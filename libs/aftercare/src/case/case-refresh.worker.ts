import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { CASE_REFRESH_CHANNEL, CASE_STORE, CaseStorePort } from '@nazorg/persistence';
import { Client } from 'pg';
import { CaseProjectorService } from './case-projector.service';

const BATCH = 100;
const MAX_BACKOFF_MS = 30_000;

/**
 * Works off `case_refresh`: the event store and the result store queue a detention there in the
 * transaction that stored its event or result, and NOTIFY. Projection is thereby off the ingest
 * path (ingest stays fast) and never lost (the request stays until a projection answered it).
 */
@Injectable()
export class CaseRefreshWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CaseRefreshWorker.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private listener?: Client;
  private failures = 0;

  constructor(
    @Inject(CASE_STORE) private readonly store: CaseStorePort,
    private readonly projector: CaseProjectorService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
  }

  /**
   * Projects every queued detention; returns how many (tests wait on it instead of sleeping).
   * One detention that fails stays queued and does not hold up the others; the pass throws after
   * the batch so the loop backs off.
   */
  async drain(now?: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const pending = await this.store.pendingRefreshes(BATCH);
      let failed = 0;
      for (const request of pending) {
        try {
          await this.projector.refresh(request.detentionId, now, request);
          total++;
        } catch (error) {
          failed++;
          this.logger.warn(`case projection of one detention failed: ${(error as Error).name}`);
        }
      }
      if (failed > 0) throw new Error(`${failed} case projection(s) failed, kept queued`);
      if (pending.length < BATCH) return total;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delay = this.config.OUTBOX_POLL_MS;
      try {
        await this.drain();
        this.failures = 0;
      } catch (error) {
        this.failures++;
        delay = Math.min(this.config.DELIVERY_RETRY_BASE_MS * 2 ** (this.failures - 1), MAX_BACKOFF_MS);
        this.logger.warn(`case projection pass failed, retrying in ${delay} ms: ${(error as Error).message}`);
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async listen(): Promise<void> {
    try {
      this.listener = new Client({ connectionString: this.config.DATABASE_URL });
      this.listener.on('notification', () => this.wake?.());
      this.listener.on('error', (error) => this.logger.warn(`case refresh listener: ${error.message}`));
      await this.listener.connect();
      await this.listener.query(`listen ${CASE_REFRESH_CHANNEL}`);
    } catch (error) {
      this.logger.warn(`case refresh listener unavailable, polling only: ${(error as Error).message}`);
    }
  }
}
