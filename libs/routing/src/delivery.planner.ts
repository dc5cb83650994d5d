import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, RecipientConfig } from '@nazorg/config';
import {
  Channels,
  CloudEvent,
  DetentionEvent,
  DetentionEventType,
  DetentionReleasedData,
  RecipientKind,
  stableUuid,
} from '@nazorg/contracts';
import {
  erasedEventId,
  erasedEventIds,
  filterByProfile,
  PersonIndex,
  personIndexFrom,
  PrivacyProfileRegistry,
  PSEUDONYMIZER,
  PseudonymizerPort,
} from '@nazorg/privacy';
import { TenantDirectory } from './tenant.directory';

/** What the hub knows about a detention when it routes one of its events. */
export interface DetentionContext {
  /** The tenant of the municipality of origin; null when that municipality belongs to no tenant. */
  tenantId: string | null;
  /** Recipients that already received something about this detention. */
  previousRecipientIds: readonly string[];
  /**
   * Recipient kinds whose consent a later screening withdrew (libs/privacy consentWithdrawnFrom):
   * they receive nothing more about the detention but its withdrawal (ADR 0025).
   */
  consentWithdrawnFrom?: readonly string[];
}

/** One delivery to write to the outbox. */
export interface PlannedDelivery {
  id: string;
  recipientId: string;
  recipientKind: RecipientKind;
  tenantId: string;
  channel: RecipientConfig['channel'];
  exchange: string;
  routingKey: string;
  message: CloudEvent;
  disclosedPaths: string[];
  /** The privacy profile version that decided `disclosedPaths` (kept in the disclosure record). */
  privacyProfileVersion: string;
}

/**
 * Decides who receives an event and what each may see (CONTRACT sections 3 and 4). Pure given its
 * configuration: storage and sending happen elsewhere.
 */
@Injectable()
export class DeliveryPlanner {
  private readonly profiles: PrivacyProfileRegistry;
  private readonly persons: PersonIndex;

  constructor(
    private readonly directory: TenantDirectory,
    config: AppConfig,
    @Inject(PSEUDONYMIZER) private readonly pseudonymizer: PseudonymizerPort,
  ) {
    // Fails the start on a profile that widens its kind's default.
    this.profiles = new PrivacyProfileRegistry(directory.allRecipients());
    this.persons = personIndexFrom(config);
  }

  /** The blind index of a BSN that access requests look disclosures up by (ADR 0025). */
  personIndex(bsn: string): string {
    return this.persons.of(bsn);
  }

  /** What ops see instead of an event id in `correlationid` and `causationid`. */
  opsEventRef(eventId: string): string {
    return this.pseudonymizer.pseudonym(`event\u0000${eventId}`);
  }

  /** The keyed hash ops see instead of a detention id; also what remains of an erased detention. */
  pseudonym(detentionId: string): string {
    return this.pseudonymizer.pseudonym(detentionId);
  }

  /** The keyed event id an erased detention's events and results are kept under (ADR 0024). */
  erasedEventId(source: string, eventId: string): string {
    return erasedEventId(this.pseudonymizer, source, eventId);
  }

  /** The same under the current key first, then each previous key (ADR 0023). */
  erasedEventIds(source: string, eventId: string): string[] {
    return erasedEventIds(this.pseudonymizer, source, eventId);
  }

  /** The detention's keyed hash under the current and each previous key (ADR 0023). */
  pseudonymCandidates(detentionId: string): string[] {
    return this.pseudonymizer.candidates(detentionId);
  }

  /**
   * `data` trimmed to what the recipient's effective (possibly narrowed) profile lets out, as for a
   * feed delivery, plus `ownFields`: the fields of a hub-originated event that are not the feed's
   * (a deadline's name and due date), which no feed profile can list. Consent gates read `data`.
   */
  trim(
    recipient: RecipientConfig,
    data: Record<string, unknown>,
    ownFields: readonly string[] = [],
  ): { data: Record<string, unknown>; disclosedPaths: string[]; privacyProfileVersion: string } {
    const profile = this.profiles.effectiveProfileOf(recipient.id, recipient.kind);
    const filtered = filterByProfile(data, [...profile.rules, ...ownFields.map((path) => ({ path }))]);
    return { ...filtered, privacyProfileVersion: profile.version };
  }

  plan(event: DetentionEvent, context: DetentionContext): PlannedDelivery[] {
    if (!context.tenantId) return [];
    const tenant = this.directory.tenant(context.tenantId);
    if (!tenant) return [];

    const targets = new Map<string, { recipient: RecipientConfig; tenantId: string }>();
    const add = (recipient: RecipientConfig, tenantId: string) =>
      targets.set(recipient.id, { recipient, tenantId });

    if (event.type === DetentionEventType.NOTIFICATION_WITHDRAWN) {
      // Everyone who got anything about this detention must learn to forget it, and no one else.
      for (const id of context.previousRecipientIds) {
        const found = this.directory.recipient(id);
        if (found) add(found.recipient, found.tenantId ?? tenant.id);
      }
    } else {
      for (const recipient of tenant.recipients) add(recipient, tenant.id);
      for (const recipient of this.directory.sharedRecipients()) add(recipient, tenant.id);
      if (event.type === DetentionEventType.DETENTION_RELEASED) {
        const destination = this.directory.tenantFor(
          (event.data as DetentionReleasedData).destinationMunicipality,
        );
        if (destination && destination.id !== tenant.id) {
          for (const r of destination.recipients.filter((r) => r.kind === RecipientKind.COORDINATOR)) {
            add(r, destination.id);
          }
        }
      }
    }

    const withdrawn = new Set(context.consentWithdrawnFrom ?? []);
    return [...targets.values()]
      .filter(
        ({ recipient }) =>
          event.type === DetentionEventType.NOTIFICATION_WITHDRAWN || !withdrawn.has(recipient.kind),
      )
      .map(({ recipient, tenantId }) => this.deliveryFor(event, recipient, tenantId));
  }

  private deliveryFor(event: DetentionEvent, recipient: RecipientConfig, tenantId: string): PlannedDelivery {
    const filtered = this.trim(recipient, event.data as unknown as Record<string, unknown>);
    let subject = event.subject;
    let correlationid = event.correlationid ?? event.id;
    let causationid = event.id;
    let id = stableUuid('delivery', recipient.id, event.source, event.id);
    if (recipient.kind === RecipientKind.OPS) {
      // No identifier at all: the feed's event ids are DJI's, who can tell whom they were about, so
      // ops can follow a chain by their keyed hashes only (and the delivery id is keyed too).
      subject = this.pseudonymizer.pseudonym(event.subject);
      if ('detentionId' in filtered.data) filtered.data.detentionId = subject;
      correlationid = this.opsEventRef(correlationid);
      causationid = this.opsEventRef(causationid);
      id = this.pseudonymizer.uuid('delivery', recipient.id, event.source, event.id);
    }
    const message: CloudEvent = {
      specversion: '1.0',
      id,
      source: event.source,
      type: event.type,
      time: event.time,
      subject,
      datacontenttype: 'application/json',
      data: filtered.data,
      correlationid,
      causationid,
      tenant: tenantId,
      recipient: recipient.id,
    };
    return {
      id,
      recipientId: recipient.id,
      recipientKind: recipient.kind,
      tenantId,
      channel: recipient.channel,
      exchange: Channels.DELIVERIES_EXCHANGE,
      routingKey: recipient.id,
      message,
      disclosedPaths: filtered.disclosedPaths,
      privacyProfileVersion: filtered.privacyProfileVersion,
    };
  }
}
