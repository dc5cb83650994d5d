import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OpsPrincipal } from '@nazorg/operations';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';

export interface TraceDelivery {
  recipientId: string;
  recipientKind: string;
  /** The message type it carried (hub-originated deliveries: the DPAN answer, alerts, handover). */
  type: string | null;
  createdAt: string;
  publishedAt: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  /** Outbox row written → confirmed by the broker. */
  publishMs: number | null;
}

export interface TraceEvent {
  type: string;
  channel: string;
  source: string;
  eventTime: string | null;
  receivedAt: string;
  /** The sender's event time → stored by the hub. */
  ingestMs: number | null;
  routingStatus: string;
  deliveries: TraceDelivery[];
}

export interface TraceResult {
  type: string;
  recipientId: string;
  outcome: string;
  eventTime: string | null;
  receivedAt: string;
}

/**
 * Every hop of a case: what arrived (inbound_event), what went out to whom and when (delivery),
 * what the connectors reported (connector_result), and the case it folded into. `ref` is the
 * keyed pseudonym for operators; nothing in a trace names the person (no event ids: a sender may
 * put a detention id in one), only types, channels, recipients and times.
 */
export interface CaseTrace {
  ref: string;
  tenant: string | null;
  events: TraceEvent[];
  results: TraceResult[];
  /** Deliveries the hub raised itself for the case (DPAN answer, deadline alerts, warm handover). */
  caseOutputs: TraceDelivery[];
  case: {
    status: string;
    updatedAt: string;
    dpanAnsweredAt: string | null;
    problems: string[];
    referrals: string[];
  } | null;
}

@Injectable()
export class CaseTraceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(PSEUDONYMIZER) private readonly pseudonymizer: PseudonymizerPort,
  ) {}

  /** The pseudonym an operator sees for a detention id. */
  refOf(principal: OpsPrincipal, detentionId: string): string {
    return principal.role === 'operator' && !detentionId.startsWith('p-')
      ? this.pseudonymizer.pseudonym(detentionId)
      : detentionId;
  }

  /** Undefined when the reference names no detention the principal may see. */
  async trace(principal: OpsPrincipal, ref: string): Promise<CaseTrace | undefined> {
    const detention = await this.resolve(principal, ref.trim());
    if (!detention) return undefined;
    const id = detention.detentionId;
    const [events, deliveries, results, cases] = await Promise.all([
      this.db.query(
        `select id, type, channel, source, event->>'time' event_time, received_at, routing_status
         from inbound_event where detention_id = $1 order by received_at, id`,
        [id],
      ) as Promise<Record<string, string | Date | null>[]>,
      this.db.query(
        `select inbound_event_id, recipient_id, recipient_kind, message->>'type' type, created_at, published_at,
                publish_attempts, next_attempt_at
         from delivery where detention_id = $1 order by created_at, recipient_id`,
        [id],
      ) as Promise<Record<string, string | number | Date | null>[]>,
      this.db.query(
        `select type, recipient_id, outcome, event->>'time' event_time, received_at
         from connector_result where detention_id = $1 order by received_at`,
        [id],
      ) as Promise<Record<string, string | Date | null>[]>,
      this.db.query(
        `select status, updated_at, dpan_answered_at, problems, referrals from aftercare_case where detention_id = $1`,
        [id],
      ) as Promise<Record<string, unknown>[]>,
    ]);
    const delivery = (d: Record<string, string | number | Date | null>): TraceDelivery => ({
      recipientId: d.recipient_id as string,
      recipientKind: d.recipient_kind as string,
      type: (d.type as string | null) ?? null,
      createdAt: iso(d.created_at as Date),
      publishedAt: d.published_at ? iso(d.published_at as Date) : null,
      attempts: Number(d.publish_attempts),
      nextAttemptAt: d.next_attempt_at ? iso(d.next_attempt_at as Date) : null,
      publishMs: d.published_at ? msBetween(d.created_at as Date, d.published_at as Date) : null,
    });
    const c = cases[0];
    return {
      ref: this.refOf(principal, id),
      tenant: detention.tenantId,
      events: events.map((e) => ({
        type: e.type as string,
        channel: e.channel as string,
        source: e.source as string,
        eventTime: (e.event_time as string | null) ?? null,
        receivedAt: iso(e.received_at as Date),
        ingestMs: e.event_time ? msBetween(e.event_time as string, e.received_at as Date) : null,
        routingStatus: e.routing_status as string,
        deliveries: deliveries.filter((d) => d.inbound_event_id === e.id).map(delivery),
      })),
      results: results.map((r) => ({
        type: r.type as string,
        recipientId: r.recipient_id as string,
        outcome: r.outcome as string,
        eventTime: (r.event_time as string | null) ?? null,
        receivedAt: iso(r.received_at as Date),
      })),
      caseOutputs: deliveries.filter((d) => d.inbound_event_id === null).map(delivery),
      case: c
        ? {
            status: c.status as string,
            updatedAt: iso(c.updated_at as Date),
            dpanAnsweredAt: c.dpan_answered_at ? iso(c.dpan_answered_at as Date) : null,
            problems: c.problems as string[],
            referrals: c.referrals as string[],
          }
        : null,
    };
  }

  /**
   * Operators give the pseudonym (an erased detention's stored id already is one); coordinators
   * may give the detention id too. The pseudonym is keyed, so it is found by hashing the ids in
   * scope, never reversed.
   */
  private async resolve(
    principal: OpsPrincipal,
    ref: string,
  ): Promise<{ detentionId: string; tenantId: string | null } | undefined> {
    if (!ref) return undefined;
    const scope = principal.role === 'coordinator' ? principal.tenantId : null;
    const rows: { detention_id: string; tenant_id: string | null }[] = await this.db.query(
      `select detention_id, tenant_id from detention where ($1::text is null or tenant_id = $1)`,
      [scope],
    );
    const hit = rows.find(
      (r) =>
        this.refOf(principal, r.detention_id) === ref ||
        // A pseudonym an operator noted before a rotation still finds the live detention (ADR 0023).
        (principal.role === 'operator' &&
          !r.detention_id.startsWith('p-') &&
          this.pseudonymizer.candidates(r.detention_id).includes(ref)) ||
        (principal.role === 'coordinator' && r.detention_id === ref),
    );
    return hit && { detentionId: hit.detention_id, tenantId: hit.tenant_id };
  }
}

function iso(d: Date): string {
  return d.toISOString();
}

function msBetween(from: string | Date, to: string | Date): number | null {
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return Number.isNaN(ms) ? null : ms;
}
