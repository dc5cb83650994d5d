import { connect } from 'amqplib';
import { AppProcess, queueDepths, STACK, waitForHttp } from './fault-stack';
import { eventually } from '../support/eventually';

export const CONNECTOR_KINDS = ['brp', 'income', 'schuldhulp', 'zorg'] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/**
 * The apps the suite runs, as child processes: the external mocks, one hub (two while a fault needs
 * them) and one process per connector kind (two while a fault needs them).
 */
export class Topology {
  mocks?: AppProcess;
  /** Index = which HTTP port (STACK.hubPorts); undefined = not running. */
  readonly hubs: (AppProcess | undefined)[] = [];
  readonly connectors = new Map<ConnectorKind, AppProcess[]>();
  private generation = 0;

  hubUrl(index: number): string {
    return `http://127.0.0.1:${STACK.hubPorts[index]}`;
  }

  /** HTTP ingest goes to the hubs that run (a load balancer's view). */
  liveHubUrls(): string[] {
    const live = this.hubs.map((h, i) => (h?.running ? this.hubUrl(i) : undefined)).filter(Boolean);
    return (live.length ? live : [this.hubUrl(0)]) as string[];
  }

  async startMocks(): Promise<void> {
    this.mocks = new AppProcess('external-mocks', {}, 'external-mocks');
    await waitForHttp(`http://127.0.0.1:${STACK.mocksPort}/__faults`, 60_000);
  }

  /** Starts hub `index`; does not wait (a restarted hub's start-up is what a fault measures). */
  startHub(index: number, env: Record<string, string> = {}): AppProcess {
    const hub = new AppProcess(
      'hub',
      { HUB_HTTP_PORT: String(STACK.hubPorts[index]), ...env },
      `hub-${index}-${++this.generation}`,
    );
    this.hubs[index] = hub;
    return hub;
  }

  async waitForHub(index: number, timeoutMs = 180_000): Promise<void> {
    await waitForHttp(`${this.hubUrl(index)}/health`, timeoutMs);
  }

  startConnector(kind: ConnectorKind): AppProcess {
    const list = this.connectors.get(kind) ?? [];
    const connector = new AppProcess(`connector-${kind}`, {}, `connector-${kind}-${++this.generation}`);
    list.push(connector);
    this.connectors.set(
      kind,
      list.filter((c) => c.running),
    );
    return connector;
  }

  /** Waits until each kind's recipient queues have as many consumers as processes of that kind run. */
  async waitForConnectors(timeoutMs = 120_000): Promise<void> {
    const model = await connect(STACK.amqpToolUrl);
    try {
      const channel = await model.createChannel();
      await eventually(
        async () => {
          for (const kind of CONNECTOR_KINDS) {
            const running = (this.connectors.get(kind) ?? []).filter((c) => c.running).length;
            const { consumerCount } = await channel.checkQueue(`recipient.${kind}-westland`);
            if (consumerCount < running) return false;
          }
          return true;
        },
        timeoutMs,
        'every connector to consume its queues',
        250,
      );
    } finally {
      await model.close().catch(() => undefined);
    }
  }

  /** Unacknowledged deliveries a connector kind holds (it is mid-batch when > 0). */
  async unacked(kind: ConnectorKind): Promise<number> {
    let n = 0;
    for (const [queue, depth] of await queueDepths())
      if (queue.startsWith(`recipient.${kind}-`)) n += depth.unacked;
    return n;
  }

  async stopAll(): Promise<void> {
    const all = [...this.hubs, ...[...this.connectors.values()].flat(), this.mocks].filter(
      (p): p is AppProcess => !!p,
    );
    await Promise.all(all.map((p) => p.stop()));
    this.hubs.length = 0;
    this.connectors.clear();
    this.mocks = undefined;
  }
}
