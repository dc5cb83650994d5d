import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { DATA_CIPHER, DataCipherPort } from './data-cipher.port';
import { SEALED_DATA_REKEYER, SealedDataRekeyerPort } from './sealed-data-rekeyer.port';
import { loggableError } from '@nazorg/privacy';
import { HOUSEKEEPING_ROLE, LEADER_ELECTION, LeaderElectionPort } from '../ports/leader-election.port';
import { LeaderSchedule } from '../leader.schedule';

const BATCH = 200;

/**
 * Key rotation, run by the hub: at start every hub refuses to run when stored values name a key
 * that DATA_KEYS lacks (they could never be read); the housekeeping leader (ADR 0019) re-seals
 * everything not under DATA_KEY_ID in the background when elected and every
 * HOUSEKEEPING_INTERVAL_MIN minutes.
 */
@Injectable()
export class DataKeyRotationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DataKeyRotationService.name);
  private readonly schedule: LeaderSchedule;
  private stopped = false;

  constructor(
    @Inject(SEALED_DATA_REKEYER) private readonly rekeyer: SealedDataRekeyerPort,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
    config: AppConfig,
    @Inject(LEADER_ELECTION) leader: LeaderElectionPort,
  ) {
    this.schedule = new LeaderSchedule(leader, {
      role: HOUSEKEEPING_ROLE,
      name: 'DataKeyRotation',
      intervalMs: config.HOUSEKEEPING_INTERVAL_MIN * 60_000,
      work: () => this.resealAll(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const census = await this.rekeyer.census();
    // Shredded values (their detention key destroyed by erasure) need no key: none can open them.
    const unknown = Object.keys(census).filter(
      (k) => k !== 'clear' && k !== 'shredded' && !this.cipher.knows(k),
    );
    if (unknown.length) {
      throw new Error(
        `DATA_KEYS lacks key(s) ${unknown.join(', ')} that sealed ${unknown.map((k) => census[k]).join(', ')} ` +
          'stored value(s): add them back (as non-active keys) so the hub can read and re-seal them',
      );
    }
    this.schedule.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.schedule.stop();
  }

  /** Re-seals until nothing is left under another key; for tests and operators' scripts too. */
  async resealAll(): Promise<void> {
    let total = 0;
    try {
      for (;;) {
        if (this.stopped) return;
        const n = await this.rekeyer.resealBatch(BATCH);
        total += n;
        if (n === 0) break;
      }
      if (total)
        this.logger.log(`re-sealed ${total} stored value(s) under data key ${this.cipher.activeKeyId}`);
    } catch (error) {
      this.logger.warn(`re-sealing stopped, will try again: ${loggableError(error)}`);
    }
  }
}
