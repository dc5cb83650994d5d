import { Client } from 'pg';
import { DeliveryTap } from './delivery-tap';
import { infra, STACK } from './fault-stack';
import { StreamProgress } from './feed-plan';
import { ConnectorKind, Topology } from './topology';
import { eventually } from '../support/eventually';

/** What a fault works with while its segment streams. */
export interface FaultRun {
  topology: Topology;
  tap: DeliveryTap;
  progress: StreamProgress;
  /** Facts worth a line in the report (counts, never a person's data). */
  notes: string[];
  /** When a hub was killed (the time to its first 202 counts from here). */
  killAt?: number;
  /** Delivery ids stored but not yet published when the hub died (kill between store and publish). */
  inFlight?: string[];
}

export interface Fault {
  name: string;
  title: string;
  /** Before the stream starts (e.g. a second instance). */
  prepare?(run: FaultRun): Promise<void>;
  /** While the stream runs; resolves when the fault is over (the fault's end, for recovery times). */
  inject(run: FaultRun): Promise<void>;
  /** After the checks: back to one hub and one process per connector kind. */
  restore?(run: FaultRun): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MOCKS = () => `http://127.0.0.1:${STACK.mocksPort}/__faults`;
/** The connector kind killed mid-batch: BRP hears of every started detention of a tenant. */
const VICTIM: ConnectorKind = 'brp';

async function killHub(run: FaultRun, index: number): Promise<void> {
  run.killAt = Date.now();
  await run.topology.hubs[index]?.kill();
}

async function killConnectorMidBatch(run: FaultRun, index: number): Promise<void> {
  const victim = run.topology.connectors.get(VICTIM)?.[index];
  // Mid-batch: the broker has just handed the connector a delivery (the firehose saw it), which it
  // is still working on: its partner call alone takes longer than this wait.
  const handedOver = () =>
    run.tap.since(Date.now() - 20).filter((d) => d.recipientId.startsWith(`${VICTIM}-`));
  await eventually(() => handedOver().length > 0, 120_000, `a delivery handed to connector-${VICTIM}`, 5);
  const recent = run.tap
    .since(Date.now() - 1000)
    .filter((d) => d.recipientId.startsWith(`${VICTIM}-`)).length;
  await victim?.kill();
  run.topology.connectors.set(
    VICTIM,
    (run.topology.connectors.get(VICTIM) ?? []).filter((c) => c.running),
  );
  run.notes.push(
    `connector-${VICTIM} killed within 20 ms of a hand-over (${recent} hand-overs to it in the second before)`,
  );
}

async function forceMockFault(fault: 'none' | 'error' | 'hang'): Promise<void> {
  const res = await fetch(MOCKS(), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault }),
  });
  if (!res.ok) throw new Error(`mocks answered ${res.status} to fault ${fault}`);
}

/**
 * Deliveries the relay has claimed (a lease in `claimed_until`, ADR 0022) and not yet published:
 * stored, not yet sent. Not row locks: the relay holds none while it publishes, and other
 * statements lock rows briefly (withholding the rows of a withdrawn zorg consent, which are never
 * sent and so are not "in flight").
 */
async function claimedUnpublished(): Promise<string[]> {
  const client = new Client({ connectionString: STACK.databaseUrl });
  await client.connect();
  try {
    const claimed = await client.query<{ id: string }>(
      `select d.id from delivery d
       where d.published_at is null and d.claimed_until > clock_timestamp()
         -- What the recipients' tap sees: RabbitMQ deliveries (not DPAN's Kafka answers, webhooks).
         and d.channel->>'type' = 'rabbitmq'
         and not exists (select 1 from detention c
                         where c.detention_id = d.detention_id and d.recipient_kind = any(c.consent_withdrawn_from))`,
    );
    return claimed.rows.map((r) => r.id);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The relay's wait between claiming and publishing while the kill-between fault runs. */
const PUBLISH_DELAY_MS = 3000;

export const FAULTS: Fault[] = [
  {
    name: 'hub-sigkill',
    title: 'hub SIGKILL, restarted after 2 s',
    async inject(run) {
      await killHub(run, 0);
      await sleep(2000);
      run.topology.startHub(0);
    },
  },
  {
    name: 'hub-sigkill-between-store-and-publish',
    title: 'hub SIGKILL between storing and publishing',
    async prepare(run) {
      await run.topology.hubs[0]?.stop();
      run.topology.startHub(0, { OUTBOX_PUBLISH_DELAY_MS: String(PUBLISH_DELAY_MS) });
      await run.topology.waitForHub(0);
    },
    async inject(run) {
      let claimed: string[] = [];
      await eventually(
        async () => (claimed = await claimedUnpublished()).length > 0,
        60_000,
        'the relay to hold stored, unpublished deliveries',
        50,
      );
      await killHub(run, 0);
      run.inFlight = claimed;
      run.notes.push(`killed while the relay held ${claimed.length} stored, unpublished deliveries`);
      await sleep(2000);
      run.topology.startHub(0);
    },
  },
  {
    name: 'rabbitmq-restart',
    title: 'RabbitMQ restart',
    async inject() {
      await infra('rabbitmq', 'down');
      await infra('rabbitmq', 'up');
    },
  },
  {
    name: 'kafka-restart',
    title: 'Kafka restart',
    async inject() {
      await infra('kafka', 'down');
      await infra('kafka', 'up');
    },
  },
  {
    name: 'postgres-down-30s',
    title: 'PostgreSQL down for 30 s',
    async inject() {
      await infra('postgres', 'down');
      await sleep(30_000);
      await infra('postgres', 'up');
    },
  },
  {
    name: 'connector-sigkill',
    title: `connector (${VICTIM}) SIGKILL mid-batch, restarted after 2 s`,
    async inject(run) {
      await killConnectorMidBatch(run, 0);
      await sleep(2000);
      run.topology.startConnector(VICTIM);
    },
  },
  {
    name: 'partner-500-then-timeout',
    title: 'partner mocks answer 500 (20 s), then time out (60 s)',
    async inject() {
      await forceMockFault('error');
      await sleep(20_000);
      await forceMockFault('hang');
      await sleep(60_000);
      await forceMockFault('none');
    },
  },
  {
    name: 'two-hubs-kill-one',
    title: 'two hubs, one SIGKILLed (not restarted)',
    async prepare(run) {
      run.topology.startHub(1);
      await run.topology.waitForHub(1);
    },
    async inject(run) {
      await killHub(run, 0);
    },
    async restore(run) {
      run.topology.startHub(0);
      await run.topology.waitForHub(0);
      await run.topology.hubs[1]?.stop();
      run.topology.hubs[1] = undefined;
    },
  },
  {
    name: 'two-connectors-kill-one',
    title: `two ${VICTIM} connectors, one SIGKILLed mid-batch`,
    async prepare(run) {
      run.topology.startConnector(VICTIM);
      await run.topology.waitForConnectors();
    },
    async inject(run) {
      await killConnectorMidBatch(run, 0);
    },
  },
];
