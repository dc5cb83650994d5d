import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, TenantsFile } from '@nazorg/config';
import { Inject } from '@nestjs/common';
import {
  CASE_STORE,
  CaseStorePort,
  HOUSEKEEPING_ROLE,
  LEADER_ELECTION,
  LeaderElectionPort,
  LeaderSchedule,
} from '@nazorg/persistence';
import { CaseProjectorService } from './case-projector.service';
import { errorName, isInfrastructureFailure } from '@nazorg/messaging';

const DAY_MS = 86_400_000;
const PAGE = 200;

/**
 * Time moves cases too: a warm-handover window opens, a deadline comes close. Every
 * HOUSEKEEPING_INTERVAL_MIN one hub (the housekeeping leader, ADR 0019) re-projects every open
 * case with the current time (tests call `scan` with a clock of their own).
 */
@Injectable()
export class AftercareSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AftercareSchedulerService.name);
  private readonly schedule: LeaderSchedule;

  constructor(
    @Inject(CASE_STORE) private readonly store: CaseStorePort,
    private readonly projector: CaseProjectorService,
    private readonly tenants: TenantsFile,
    private readonly config: AppConfig,
    @Inject(LEADER_ELECTION) leader: LeaderElectionPort,
  ) {
    // Once when elected (cases catch up after a restart, an upgrade or a take-over), then on the interval.
    this.schedule = new LeaderSchedule(leader, {
      role: HOUSEKEEPING_ROLE,
      name: 'AftercareScan',
      intervalMs: config.HOUSEKEEPING_INTERVAL_MIN * 60_000,
      work: () => this.scan(new Date()),
    });
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
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
