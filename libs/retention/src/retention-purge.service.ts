import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, TenantPolicyConfig, TenantsFile } from '@nazorg/config';
import { BrokerDeadLettersService } from '@nazorg/delivery';
import {
  DEAD_LETTER_STORE,
  DeadLetterStorePort,
  DETENTION_ERASURE,
  DetentionErasurePort,
  HOUSEKEEPING_ROLE,
  LEADER_ELECTION,
  LeaderElectionPort,
  LeaderSchedule,
  RetentionCutoff,
} from '@nazorg/persistence';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';

const DAY_MS = 86_400_000;
const BATCH = 100;

export interface PurgeOutcome {
  detentions: number;
  deadLetters: number;
  /** Messages about erased detentions dropped from the broker's dead-letter queues. */
  brokerDeadLetters: number;
}

/**
 * Retention (issue 5, AVG art. 5(1)(e)): a detention's personal data is erased, like a withdrawn
 * one (ADR 0007), once its tenant's aftercare period after release plus the retention period have
 * passed; unrouted detentions follow `defaultPolicy`. Rejected inputs lose their payload after
 * DEAD_LETTER_RETENTION_DAYS. Runs in one hub (the housekeeping leader, ADR 0019) when it
 * becomes the leader and every HOUSEKEEPING_INTERVAL_MIN.
 */
@Injectable()
export class RetentionPurgeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionPurgeService.name);
  private readonly schedule: LeaderSchedule;

  constructor(
    @Inject(DETENTION_ERASURE) private readonly erasure: DetentionErasurePort,
    @Inject(DEAD_LETTER_STORE) private readonly deadLetters: DeadLetterStorePort,
    private readonly brokerDeadLetters: BrokerDeadLettersService,
    private readonly tenants: TenantsFile,
    private readonly config: AppConfig,
    @Inject(PSEUDONYMIZER) private readonly pseudonymizer: PseudonymizerPort,
    @Inject(LEADER_ELECTION) leader: LeaderElectionPort,
  ) {
    this.schedule = new LeaderSchedule(leader, {
      role: HOUSEKEEPING_ROLE,
      name: 'RetentionPurge',
      intervalMs: config.HOUSEKEEPING_INTERVAL_MIN * 60_000,
      work: () => this.purgeExpired(new Date()),
    });
  }

  onApplicationBootstrap(): void {
    this.schedule.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }

  /** The cutoffs at `now`: per tenant, and for detentions of no tenant. */
  cutoffs(now: Date): RetentionCutoff[] {
    const cutoff = (policy: TenantPolicyConfig) =>
      new Date(now.getTime() - (policy.aftercareDays + policy.retentionDaysAfterAftercare) * DAY_MS);
    return [
      ...this.tenants.tenants.map((t) => ({ tenantId: t.id, releasedBefore: cutoff(t.policy) })),
      { tenantId: null, releasedBefore: cutoff(this.tenants.defaultPolicy) },
    ];
  }

  /** Erases everything past retention at `now` (the clock is a parameter so tests control it). */
  async purgeExpired(now: Date): Promise<PurgeOutcome> {
    let detentions = 0;
    for (;;) {
      const n = await this.erasure.eraseExpired(this.cutoffs(now), this.pseudonymizer, BATCH);
      detentions += n;
      if (n === 0) break;
    }
    const deadLetters = await this.deadLetters.purgePayloads(
      new Date(now.getTime() - this.config.DEAD_LETTER_RETENTION_DAYS * DAY_MS),
    );
    // Also after erasures that an earlier pass or the relay made: dropping is idempotent and cheap.
    const brokerDeadLetters = await this.brokerDeadLetters.dropErased();
    if (detentions || deadLetters || brokerDeadLetters) {
      this.logger.log(
        `retention: erased ${detentions} detention(s), purged ${deadLetters} dead-letter payload(s), ` +
          `dropped ${brokerDeadLetters} broker dead letter(s) of erased detentions`,
      );
    }
    return { detentions, deadLetters, brokerDeadLetters };
  }
}
