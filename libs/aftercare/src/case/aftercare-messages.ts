import { Injectable } from '@nestjs/common';
import { RecipientConfig } from '@nazorg/config';
import {
  AftercareEventType,
  Channels,
  CloudEvent,
  DPAN_ANSWER_TOPIC,
  HUB_SOURCE,
  RecipientKind,
  stableUuid,
} from '@nazorg/contracts';
import { OutboxEntry } from '@nazorg/persistence';
import { TenantDirectory } from '@nazorg/routing';

/**
 * Hub-originated events carry only what their recipient needs, listed here per type (the feed's
 * profiles of CONTRACT section 4 cover the feed's fields; these are our own). The version goes into
 * every disclosure record like a privacy profile version.
 */
export const AFTERCARE_MESSAGES_VERSION = 'aftercare-v1';

/** The DPAN answer's recipient: DJI, over Kafka (not a tenant recipient). */
export const DPAN_RECIPIENT = { id: 'dji-dpan', kind: 'dpan' } as const;

function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

/** Builds the outbox entries of hub-originated events; ids are stable, so re-planning is harmless. */
@Injectable()
export class AftercareMessages {
  constructor(private readonly directory: TenantDirectory) {}

  dpanAnswer(detentionId: string, tenantId: string, data: Record<string, unknown>, now: Date): OutboxEntry {
    const id = stableUuid('dpan-answer', detentionId);
    return {
      id,
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
    now: Date,
  ): OutboxEntry[] {
    const data = { detentionId, expectedReleaseDate };
    return this.toKind(tenantId, RecipientKind.ZORG).map((r) =>
      this.entry(
        stableUuid('warm-handover', detentionId, expectedReleaseDate, r.id),
        AftercareEventType.WARM_HANDOVER_DUE,
        detentionId,
        tenantId,
        r,
        data,
        now,
      ),
    );
  }

  /** To each coordinator of the tenant: a deadline is threatened or missed. */
  deadlineAlert(
    detentionId: string,
    tenantId: string,
    alert: { deadline: string; status: string; dueOn: string },
    now: Date,
  ): OutboxEntry[] {
    const data = { detentionId, deadline: alert.deadline, status: alert.status, dueOn: alert.dueOn };
    return this.toKind(tenantId, RecipientKind.COORDINATOR).map((r) =>
      this.entry(
        stableUuid('deadline-alert', detentionId, alert.deadline, alert.status, r.id),
        AftercareEventType.DEADLINE_ALERT,
        detentionId,
        tenantId,
        r,
        data,
        now,
      ),
    );
  }

  private toKind(tenantId: string, kind: RecipientKind): RecipientConfig[] {
    return this.directory.tenant(tenantId)?.recipients.filter((r) => r.kind === kind) ?? [];
  }

  private entry(
    id: string,
    type: string,
    detentionId: string,
    tenantId: string,
    recipient: RecipientConfig,
    data: Record<string, unknown>,
    now: Date,
  ): OutboxEntry {
    return {
      id,
      recipientId: recipient.id,
      recipientKind: recipient.kind,
      tenantId,
      channel: recipient.channel,
      exchange: Channels.DELIVERIES_EXCHANGE,
      routingKey: recipient.id,
      message: this.event(id, type, detentionId, tenantId, recipient.id, data, now),
      disclosedPaths: leafPaths(data).sort(),
      privacyProfileVersion: AFTERCARE_MESSAGES_VERSION,
    };
  }

  private event(
    id: string,
    type: string,
    detentionId: string,
    tenantId: string,
    recipientId: string,
    data: Record<string, unknown>,
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
      tenant: tenantId,
      recipient: recipientId,
    };
  }
}
