import { loadAppConfig } from '@nazorg/config';
import { eventually } from '@nazorg/testing';
import { LeaderSchedule } from '@nazorg/persistence';
import { Client } from 'pg';
import { PgAdvisoryLeaderElection } from '../libs/persistence/src/adapters/pg-advisory.leader-election';

/**
 * The leader lock on the real PostgreSQL (ADR 0019): of several processes one leads a role, a
 * periodic job runs in the leader only, and another takes over when the leader stops or loses its
 * database session.
 */
describe('leader election by PostgreSQL advisory lock', () => {
  const config = loadAppConfig(process.env);
  const role = `test-role-${process.pid}-${Date.now()}`;
  const elections: PgAdvisoryLeaderElection[] = [];
  const newElection = () => {
    const election = new PgAdvisoryLeaderElection(config);
    elections.push(election);
    return election;
  };
  afterEach(async () => {
    for (const e of elections.splice(0)) await e.onApplicationShutdown();
  });

  it('elects one leader and hands over when it stops', async () => {
    const [a, b] = [newElection(), newElection()];
    a.isLeader(role);
    await eventually(() => a.isLeader(role), 5000, 'a to lead');
    b.isLeader(role);
    // b has tried (its retry is 300 ms in tests) several times by now and must not lead.
    await new Promise((r) => setTimeout(r, 1000));
    expect([a.isLeader(role), b.isLeader(role)]).toEqual([true, false]);

    await a.onApplicationShutdown();
    await eventually(() => b.isLeader(role), 5000, 'b to take over');
    expect(a.isLeader(role)).toBe(false);
  });

  it('a leader whose database session is killed stops leading, and another takes over', async () => {
    const [a, b] = [newElection(), newElection()];
    a.isLeader(role);
    await eventually(() => a.isLeader(role), 5000, 'a to lead');
    b.isLeader(role);
    await new Promise((r) => setTimeout(r, 700));
    expect(b.isLeader(role)).toBe(false);

    // The session holding the lock (b holds none): PostgreSQL drops it, and its lock with it.
    const admin = new Client({ connectionString: config.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(
        `select pg_terminate_backend(a.pid) from pg_stat_activity a
         where a.datname = current_database() and a.application_name = 'nazorg-leader-lock'
           and exists (select 1 from pg_locks l where l.pid = a.pid and l.locktype = 'advisory' and l.granted)`,
      );
    } finally {
      await admin.end();
    }
    await eventually(() => b.isLeader(role), 5000, 'b to take over');
    // a notices the lost session at its next round and, b holding the lock now, does not lead again.
    await eventually(() => !a.isLeader(role), 5000, 'a to step down');
    await new Promise((r) => setTimeout(r, 700));
    expect([a.isLeader(role), b.isLeader(role)]).toEqual([false, true]);
  });

  it('a periodic job runs in the leader only, and in the next leader once it takes over', async () => {
    const [a, b] = [newElection(), newElection()];
    const runs: string[] = [];
    const schedules = [
      new LeaderSchedule(a, { role, name: 'a', intervalMs: 200, work: async () => void runs.push('a') }),
      new LeaderSchedule(b, { role, name: 'b', intervalMs: 200, work: async () => void runs.push('b') }),
    ];
    schedules.forEach((s) => s.start());
    await eventually(() => runs.length >= 5, 5000, 'five runs');
    const leader = runs[0];
    expect(new Set(runs)).toEqual(new Set([leader]));

    const [stopped, other] = leader === 'a' ? [a, 'b'] : [b, 'a'];
    await schedules[leader === 'a' ? 0 : 1].stop();
    await stopped.onApplicationShutdown();
    const before = runs.length;
    await eventually(() => runs.slice(before).filter((r) => r === other).length >= 3, 5000, 'take-over');
    expect(new Set(runs.slice(before))).toEqual(new Set([other]));
    await Promise.all(schedules.map((s) => s.stop()));
  });
});
