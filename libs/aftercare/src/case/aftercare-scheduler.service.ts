import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, TenantsFile } from '@nazorg/config';
import { Inject } from '@nestjs/common';
import { CASE_STORE, CaseStorePort } from '@nazorg/persistence';
import { CaseProjectorService } from './case-projector.service';
import { loggableError } from '@nazorg/privacy';
import { errorName, isInfrastructureFailure } from '@nazorg/messaging';

const DAY_MS = 86_400_000;
const PAGE = 200;

/**
 * Time moves cases too: a warm-handover window opens, a deadline comes close. Every
 * HOUSEKEEPING_INTERVAL_MIN the hub re-projects every open case with the current time (tests call
 * `scan` with a clock of their own).
 */
@Injectable()
export class AftercareSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AftercareSchedulerService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(CASE_STORE) private readonly store: CaseStorePort,
    private readonly projector: CaseProjectorService,
    private readonly tenants: TenantsFile,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running ??= this.scan(new Date())
        .catch((error: unknown) =>
          this.logger.warn(`aftercare scan failed, will try again: ${loggableError(error)}`),
        )
        .finally(() => (this.running = undefined));
    };
    // Once at start (cases catch up after a restart or an upgrade), then on the interval.
    tick();
    this.timer = setInterval(tick, this.config.HOUSEKEEPING_INTERVAL_MIN * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Re-projects every open case at `now`, each on its own: a case that fails is counted (and after
   * CASE_PROJECTION_MAX_ATTEMPTS parked, then skipped) and the scan goes on. Returns how many cases
   * were projected, how many alerts were new and how many cases failed.
   */
  async scan(now: Date): Promise<{ cases: number; newAlerts: number; failed: number }> {
    const longestAftercare = Math.max(
      this.tenants.defaultPolicy.aftercareDays,
      ...this.tenants.tenants.map((t) => t.policy.aftercareDays),
    );
    const releasedSince = new Date(now.getTime() - longestAftercare * DAY_MS);
    let after: string | null = null;
    let cases = 0;
    let newAlerts = 0;
    let failed = 0;
    for (;;) {
      const ids = await this.store.openCases(after, PAGE, releasedSince);
      for (const id of ids) {
        // One case that fails never stops the scan of the others (issue 9).
        try {
          newAlerts += (await this.projector.refresh(id, now)).newAlerts;
          cases++;
        } catch (error) {
          failed++;
          this.logger.warn(`aftercare scan of one case failed: ${errorName(error)}`);
          if (!isInfrastructureFailure(error))
            await this.store.recordProjectionFailure(
              id,
              errorName(error),
              this.config.CASE_PROJECTION_MAX_ATTEMPTS,
            );
        }
      }
      if (ids.length < PAGE) break;
      after = ids[ids.length - 1];
    }
    if (failed) this.logger.warn(`aftercare scan: ${failed} case(s) failed, ${cases} projected`);
    return { cases, newAlerts, failed };
  }
}
