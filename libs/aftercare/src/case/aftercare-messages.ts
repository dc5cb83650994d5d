import { Inject, Injectable } from '@nestjs/common';
import { RecipientConfig } from '@nazorg/config';
import {
  AftercareEventType,
  Channels,
  CloudEvent,
  DPAN_ANSWER_TOPIC,
  HUB_SOURCE,
  RecipientKind,
} from '@nazorg/contracts';
import { OutboxEntry } from '@nazorg/persistence';
import { PSEUDONYMIZER, PseudonymizerPort } from '@nazorg/privacy';
import { DeliveryPlanner, TenantDirectory } from '@nazorg/routing';
import { EventRef } from './case-state';

/**
 * Version of the hub's own fields per message type (below). Every disclosure record of a
 * hub-originated message names it next to the recipient's privacy profile version. Bump it when a
 * type or an own field is added or removed.
 */
export const AFTERCARE_MESSAGES_VERSION = 'aftercare-v2';

/**
 * The fields of hub-originated events that are not the feed's, so no feed profile can list them;
 * everything else in these messages is the feed's (detentionId, dates, debts, care, ...) and passes
 * the recipient's privacy profile like a feed delivery (CONTRACT section 4).
 */
const OWN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  [AftercareEventType.WARM_HANDOVER_DUE]: [],
  [AftercareEventType.DEADLINE_ALERT]: ['deadline', 'status', 'dueOn'],
  [AftercareEventType.REFERRAL_REQUESTED]: [],
};

/** The DPAN answer's recipient: DJI, over Kafka (not a tenant recipient). */
export const DPAN_RECIPIENT = { id: 'dji-dpan', kind: 'dpan' } as const;

function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * Builds the outbox entries of hub-originated events. Ids are keyed hashes (stable, so re-planning
 * is harmless, also across a rotation by their former ids, ADR 0023; but not derivable from a
 * detention id without PSEUDONYM_KEY); each event names the event it follows from (`causationid`)
 * and that event's chain (`correlationid`).
 */
@Injectable()
export class AftercareMessages {
  constructor(
    private readonly directory: TenantDirectory,
    private readonly planner: DeliveryPlanner,
    @Inject(PSEUDONYMIZER) private readonly ids: PseudonymizerPort,
  ) {}

  /**
   * The municipality's answer to DPAN. DJI is no tenant recipient and has no privacy profile: the
   * answer holds only what the municipality found (see dpanAnswerData), all of it for DJI.
   */
  dpanAnswer(
    detentionId: string,
    tenantId: string,
    data: Record<string, unknown>,
    cause: EventRef,
    now: Date,
  ): OutboxEntry {
    const [id, ...formerIds] = this.ids.uuidCandidates('dpan-answer', detentionId);
    return {
      id,
      formerIds,
      recipientId: DPAN_RECIPIENT.id,
      recipientKind: DPAN_RECIPIENT.kind,
      tenantId,
      channel: { type: 'kafka', topic: DPAN_ANSWER_TOPIC },
      exchange: '',
      routingKey: DPAN_ANSWER_TOPIC,
      message: this.event(
        id,
        AftercareEventType.DPAN_MUNICIPAL_INFO,
        detentionId,
        tenantId,
        DPAN_RECIPIENT.id,
        data,
        cause,
        now,
      ),
      disclosedPaths: leafPaths(data).sort(),
      privacyProfileVersion: AFTERCARE_MESSAGES_VERSION,
    };
  }

  /** To each zorg recipient of the tenant: the warm-handover window opened for this release date. */
  warmHandoverDue(
    detentionId: string,
    tenantId: string,
    expectedReleaseDate: string,
    cause: EventRef,
    now: Date,
  ): OutboxEntry[] {
    const data = { detentionId, expectedReleaseDate };
    return this.toKind(tenantId, RecipientKind.ZORG).map((r) =>
      this.entry(
        this.ids.uuidCandidates('warm-handover', detentionId, expectedReleaseDate, r.id),
        AftercareEventType.WARM_HANDOVER_DUE,
        detentionId,
        tenantId,
        r,
        data,
        cause,
        now,
      ),
    );
  }

  /** To each coordinator of the tenant: a deadline is threatened or missed. */
  deadlineAlert(
    detentionId: string,
    tenantId: string,
    alert: { deadline: string; status: string; dueOn: string },
    cause: EventRef,
    now: Date,
  ): OutboxEntry[] {
    const data = { detentionId, deadline: alert.deadline, status: alert.status, dueOn: alert.dueOn };
    return this.toKind(tenantId, RecipientKind.COORDINATOR).map((r) =>
      this.entry(
        this.ids.uuidCandidates('deadline-alert', detentionId, alert.deadline, alert.status, r.id),
        AftercareEventType.DEADLINE_ALERT,
        detentionId,
        tenantId,
        r,
        data,
        cause,
        now,
      ),
    );
  }

  /**
   * To each schuldhulp or zorg recipient of the tenant: the hub decided to refer (policy, consent).
   * `screening` is what the screening said on the partner's subject, with its consent: the consent
   * gates the debts and care fields exactly as for the screening itself, then is removed. Once per
   * detention and partner: a later screening does not refer again.
   */
  referralRequested(
    detentionId: string,
    tenantId: string,
    kind: typeof RecipientKind.SCHULDHULP | typeof RecipientKind.ZORG,
    screening: Record<string, unknown>,
    cause: EventRef,
    now: Date,
  ): OutboxEntry[] {
    const data = { detentionId, ...screening };
    return this.toKind(tenantId, kind).map((r) =>
      this.entry(
        this.ids.uuidCandidates('referral', detentionId, r.id),
        AftercareEventType.REFERRAL_REQUESTED,
        detentionId,
        tenantId,
        r,
        data,
        cause,
        now,
      ),
    );
  }

  private toKind(tenantId: string, kind: RecipientKind): RecipientConfig[] {
    return this.directory.tenant(tenantId)?.recipients.filter((r) => r.kind === kind) ?? [];
  }

  /** `ids`: the entry's id under the current key, then under each previous one (ADR 0023). */
  private entry(
    ids: readonly string[],
    type: string,
    detentionId: string,
    tenantId: string,
    recipient: RecipientConfig,
    data: Record<string, unknown>,
    cause: EventRef,
    now: Date,
  ): OutboxEntry {
    const trimmed = this.planner.trim(recipient, data, OWN_FIELDS[type] ?? []);
    const [id, ...formerIds] = ids;
    return {
      id,
      formerIds,
      recipientId: recipient.id,
      recipientKind: recipient.kind,
      tenantId,
      channel: recipient.channel,
      exchange: Channels.DELIVERIES_EXCHANGE,
      routingKey: recipient.id,
      message: this.event(id, type, detentionId, tenantId, recipient.id, trimmed.data, cause, now),
      disclosedPaths: trimmed.disclosedPaths,
      privacyProfileVersion: `${trimmed.privacyProfileVersion}+${AFTERCARE_MESSAGES_VERSION}`,
    };
  }

  private event(
    id: string,
    type: string,
    detentionId: string,
    tenantId: string,
    recipientId: string,
    data: Record<string, unknown>,
    cause: EventRef,
    now: Date,
  ): CloudEvent {
    return {
      specversion: '1.0',
      id,
      source: HUB_SOURCE,
      type,
      time: now.toISOString(),
      subject: detentionId,
      datacontenttype: 'application/json',
      data,
      correlationid: cause.correlationid,
      causationid: cause.id,
      tenant: tenantId,
      recipient: recipientId,
    };
  }
}
