import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@nazorg/config';
import { loggableError } from '@nazorg/privacy';
import { Client } from 'pg';
import { LeaderElectionPort } from '../ports/leader-election.port';

/**
 * Leader per role by a session-level PostgreSQL advisory lock on a connection of its own: the lock
 * is the connection's, so a leader that dies (SIGKILL, network) loses it the moment PostgreSQL
 * drops its session, and a graceful stop hands it over at once. Every LEADER_RETRY_MS the process
 * tries the roles it does not hold and checks that its connection still lives; a lost connection
 * means every role is lost (never two leaders: the lock went with the session), and it reconnects.
 * Pool connections are never used: a lock on one would be held by whoever gets it next.
 */
@Injectable()
export class PgAdvisoryLeaderElection implements LeaderElectionPort, OnApplicationShutdown {
  private readonly logger = new Logger('LeaderElection');
  private readonly roles = new Map<string, { leading: boolean; listeners: (() => void)[] }>();
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private stopped = false;
  /** Until when this instance stays out of the campaign after losing its session (see drop()). */
  private standDownUntil = 0;

  constructor(private readonly config: AppConfig) {}

  isLeader(role: string): boolean {
    return this.enter(role).leading;
  }

  onElected(role: string, listener: () => void): void {
    const state = this.enter(role);
    state.listeners.push(listener);
    if (state.leading) listener();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    this.lose();
    // Closing the session releases every lock it holds: another instance takes over at its next try.
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private enter(role: string) {
    let state = this.roles.get(role);
    if (!state) {
      state = { leading: false, listeners: [] };
      this.roles.set(role, state);
      this.schedule(0);
    }
    return state;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.round = this.campaign().finally(() => {
        this.round = undefined;
        this.schedule(this.config.LEADER_RETRY_MS);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async campaign(): Promise<void> {
    if (Date.now() < this.standDownUntil) return;
    try {
      const client = await this.connection();
      for (const [role, state] of this.roles) {
        if (state.leading || this.stopped) continue;
        const { rows } = await client.query<{ locked: boolean }>(
          `select pg_try_advisory_lock(hashtextextended($1, 0)) as locked`,
          [`nazorg:leader:${role}`],
        );
        if (rows[0].locked && !this.stopped) {
          state.leading = true;
          this.logger.log(`this instance now leads ${role}`);
          for (const listener of state.listeners) listener();
        }
      }
      // The session is what holds the locks: a query that fails means they may be gone.
      await client.query('select 1');
    } catch (error) {
      if (this.roles.size && !this.stopped)
        this.logger.warn(`leader lock connection lost, trying again: ${loggableError(error)}`);
      this.drop();
    }
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'nazorg-leader-lock',
      // Probe the session so a vanished server is noticed, not only on the next query.
      keepAlive: true,
    });
    client.on('error', () => this.drop());
    client.on('end', () => {
      if (this.client === client) this.drop();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  /**
   * The connection (and so every lock) is gone or suspect: lead nothing until re-acquired. The
   * instance that lost its session is the likelier one to be unwell (its network, its host), so it
   * sits out two rounds: a healthy instance takes over, instead of a race the loser often wins.
   */
  private drop(): void {
    const client = this.client;
    this.client = undefined;
    if (client) this.standDownUntil = Date.now() + 2 * this.config.LEADER_RETRY_MS;
    this.lose();
    void client?.end().catch(() => undefined);
  }

  private lose(): void {
    for (const [role, state] of this.roles) {
      if (state.leading) this.logger.warn(`this instance no longer leads ${role}`);
      state.leading = false;
    }
  }
}
