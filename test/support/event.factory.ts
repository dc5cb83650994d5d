import { randomUUID } from 'node:crypto';
import {
  CloudEvent,
  DetentionEventType,
  DetentionReleasedData,
  DetentionStartedData,
  DetentionTransferredData,
  FeedSource,
  NotificationWithdrawnData,
  ReleaseScheduledData,
  ScreeningCompletedData,
  SOURCE_OF_TYPE,
} from '@nazorg/contracts';

/**
 * Event factories for integration tests: valid CloudEvents per CONTRACT section 2 with unique
 * detention ids, overridable field by field.
 */
let counter = 0;
export function newDetentionId(): string {
  counter += 1;
  return `DJI-T-${Date.now().toString(36)}-${counter}-${randomUUID().slice(0, 6)}`.toUpperCase();
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> | null : T[K] };

function envelope<T>(type: DetentionEventType, detentionId: string, data: T): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: SOURCE_OF_TYPE[type],
    type,
    time: new Date().toISOString(),
    subject: detentionId,
    datacontenttype: 'application/json',
    data,
  };
}

function merge<T>(base: T, override: DeepPartial<T> | undefined): T {
  if (!override) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? merge(current, value as DeepPartial<typeof current>)
        : value;
  }
  return out as T;
}

export const Events = {
  started(detentionId = newDetentionId(), override?: DeepPartial<DetentionStartedData>) {
    return envelope<DetentionStartedData>(
      DetentionEventType.DETENTION_STARTED,
      detentionId,
      merge<DetentionStartedData>(
        {
          detentionId,
          person: {
            bsn: '999990019',
            givenNames: 'Piet',
            familyNamePrefix: 'de',
            familyName: 'Vries',
            birthDate: '1991-04-02',
            gender: 'M',
          },
          institution: { code: 'PI-NWG', name: 'PI Nieuwegein' },
          startedAt: new Date(Date.now() - 3600_000).toISOString(),
          legalStatus: 'veroordeeld',
          expectedReleaseDate: '2027-02-14',
          municipalityOfOrigin: '0307',
          caseManager: { name: 'C. Casemanager', phone: '030-1234567', email: 'cm@pi.example' },
          supervision: { organisation: 'reclassering-nederland' },
          flags: { topX: false, pga: true, bij: false },
        },
        override,
      ),
    );
  },
  screening(detentionId: string, override?: DeepPartial<ScreeningCompletedData>) {
    return envelope<ScreeningCompletedData>(
      DetentionEventType.SCREENING_COMPLETED,
      detentionId,
      merge<ScreeningCompletedData>(
        {
          detentionId,
          screenedAt: new Date().toISOString(),
          identity: { hasValidId: true, documentType: 'id-card' },
          housing: { situation: 'rental', atRiskOfLoss: true },
          incomeWork: { situation: 'benefit', benefitType: 'participatiewet' },
          debts: { hasDebts: true, cjibDebt: true, estimatedTotal: '1000-10000', wantsHelp: true },
          care: { needsCare: true, areas: ['addiction', 'ggz'], currentProviders: ['Victas'] },
          socialNetwork: { supportive: false },
          consent: { schuldhulp: true, zorg: true },
        },
        override,
      ),
    );
  },
  releaseScheduled(detentionId: string, expectedReleaseDate = '2027-03-01') {
    return envelope<ReleaseScheduledData>(DetentionEventType.RELEASE_SCHEDULED, detentionId, {
      detentionId,
      expectedReleaseDate,
      previousExpectedReleaseDate: '2027-02-14',
    });
  },
  transferred(detentionId: string, override?: DeepPartial<DetentionTransferredData>) {
    return envelope<DetentionTransferredData>(
      DetentionEventType.DETENTION_TRANSFERRED,
      detentionId,
      merge<DetentionTransferredData>(
        {
          detentionId,
          transferredAt: new Date().toISOString(),
          from: { code: 'PI-NWG', name: 'PI Nieuwegein' },
          to: { code: 'PI-LLS', name: 'PI Lelystad' },
        },
        override,
      ),
    );
  },
  released(detentionId: string, override?: DeepPartial<DetentionReleasedData>) {
    return envelope<DetentionReleasedData>(
      DetentionEventType.DETENTION_RELEASED,
      detentionId,
      merge<DetentionReleasedData>(
        {
          detentionId,
          releasedAt: new Date().toISOString(),
          releaseType: 'end-of-sentence',
          destinationMunicipality: '0307',
          addressAfterRelease: {
            street: 'Langestraat',
            houseNumber: '12',
            postalCode: '3811AB',
            city: 'Amersfoort',
          },
          supervisionContinues: true,
        },
        override,
      ),
    );
  },
  withdrawn(detentionId: string) {
    return envelope<NotificationWithdrawnData>(DetentionEventType.NOTIFICATION_WITHDRAWN, detentionId, {
      detentionId,
      reason: 'wrong person',
    });
  },
};

export const TEST_SOURCES = FeedSource;
