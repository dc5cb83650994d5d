import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeliveryComparison } from './fault-check';
import { ARTIFACTS } from './fault-stack';
import { Ingress } from './feed-plan';

export interface FaultRow extends DeliveryComparison {
  fault: string;
  title: string;
  sent: number;
  refused: number;
  feedRetries: number;
  caseMismatches: string[];
  casesClockDecided: string[];
  pending: string;
  nothingPending: boolean;
  faultSeconds: number;
  /** Fault end → first delivery of a marker sent over that way in (ms); null: none within the timeout. */
  recoveryByIngress: Record<Ingress, number | null>;
  /** Hub SIGKILL → first 202 of HTTP ingest (s). */
  firstAcceptedHttpAfterKillSeconds: number | null;
  quietAfterSeconds: number;
  inFlight?: { count: number; delivered: number };
  notes: string[];
}

const seconds = (ms: number | null) => (ms === null ? 'none' : (ms / 1000).toFixed(1));
const LISTED = 20;

/** The table per fault: test-artifacts/faults/report.md (and .json), printed at the end. */
export class FaultReport {
  readonly rows: FaultRow[] = [];
  reference?: { events: number; deliveries: number; deadLetterRows: number };
  private readonly startedAt = new Date();

  constructor(
    private readonly events: number,
    private readonly rate: number,
  ) {}

  add(row: FaultRow): void {
    this.rows.push(row);
  }

  markdown(): string {
    const lines = [
      `# Fault suite (${this.startedAt.toISOString()})`,
      '',
      `${this.events} events planned over Kafka (1/2 of the detentions), RabbitMQ (1/4) and HTTP (1/4), ` +
        `${this.rate} events/s during a fault. Reference (fault-free run of the same lifecycles): ` +
        (this.reference
          ? `${this.reference.events} events, ${this.reference.deliveries} deliveries, ${this.reference.deadLetterRows} dead letters.`
          : 'not completed.'),
      '',
      '| fault | events sent | expected deliveries (of feed events) | delivered | lost | doubled | redelivered (same id) | case states differing | left pending | fault lasted s | recovery s (slowest way in) | recovery s kafka / rabbitmq / http | SIGKILL → first 202 s |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ];
    for (const r of this.rows) {
      const by = r.recoveryByIngress;
      const values = Object.values(by);
      const slowest = values.includes(null) ? null : Math.max(...(values as number[]));
      lines.push(
        `| ${r.title} | ${r.sent}${r.refused ? ` (+${r.refused} refused)` : ''} | ${r.expected} | ${r.delivered} | ${r.lost.length} | ${r.doubled.length} | ${r.redelivered} | ${r.caseMismatches.length} | ${r.pending} | ${r.faultSeconds.toFixed(1)} | ${seconds(slowest)} | ${seconds(by.kafka)} / ${seconds(by.rabbitmq)} / ${seconds(by.http)} | ${r.firstAcceptedHttpAfterKillSeconds?.toFixed(1) ?? '-'} |`,
      );
    }
    lines.push(
      '',
      'Recovery: from the end of the fault (process restarted, service up again, mocks back to normal; ' +
        'for "kill one of two" the kill) until a marker detention sent then over that way in reached a recipient. ' +
        'Lost: a delivery of a feed event (by its id) the fault-free run delivered that no recipient received. Doubled: one feed event ' +
        'reaching one recipient under two delivery ids. Redelivered: a delivery id handed to a recipient again.',
    );
    for (const r of this.rows) {
      const details = [
        ...r.notes,
        r.inFlight ? `${r.inFlight.delivered} of the ${r.inFlight.count} in-flight deliveries arrived` : '',
        r.unexpected.length
          ? `${r.unexpected.length} delivery ids the fault-free run did not have: ${r.unexpected.slice(0, LISTED).join(', ')}`
          : '',
        r.lost.length
          ? `lost delivery ids: ${r.lost.slice(0, LISTED).join(', ')}${r.lost.length > LISTED ? ', ...' : ''}`
          : '',
        r.doubled.length
          ? `doubled: ${r.doubled
              .slice(0, LISTED)
              .map((d) => `${d.key} → ${d.ids.join(' + ')}`)
              .join('; ')}`
          : '',
        r.caseMismatches.length ? `cases differing: ${r.caseMismatches.slice(0, LISTED).join('; ')}` : '',
        `feed retries ${r.feedRetries}; quiet ${r.quietAfterSeconds.toFixed(0)} s after the fault's end and recovery`,
      ].filter(Boolean);
      lines.push('', `**${r.fault}**: ${details.join('. ')}.`);
    }
    return lines.join('\n') + '\n';
  }

  write(): void {
    mkdirSync(ARTIFACTS, { recursive: true });
    const md = this.markdown();
    writeFileSync(join(ARTIFACTS, 'report.md'), md);
    writeFileSync(
      join(ARTIFACTS, 'report.json'),
      JSON.stringify(
        {
          startedAt: this.startedAt,
          events: this.events,
          rate: this.rate,
          reference: this.reference,
          rows: this.rows,
        },
        null,
        2,
      ),
    );
    process.stdout.write(`\n${md}\n`);
  }
}
