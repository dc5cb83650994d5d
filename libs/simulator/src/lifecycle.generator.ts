import {
  CloudEvent,
  DetentionEventType,
  DetentionReleasedData,
  DetentionStartedData,
  ScreeningCompletedData,
  SOURCE_OF_TYPE,
} from '@nazorg/contracts';
import { SeededRandom } from './random';
import { testBsn } from './test-bsn';

/*
 * Whole detention lifecycles whose figures follow DOMAIN.md (Amersfoort 2013-2015 audit unless
 * noted). Detention length is log-normal with mu 3.58 and sigma 1.49: 73% under 90 days and a mean
 * near 110 days, clipped to the observed 2..3406 days.
 */
const LENGTH_MU = 3.58;
const LENGTH_SIGMA = 1.49;

const INSTITUTIONS: [{ code: string; name: string }, number][] = [
  [{ code: 'PI-NWG', name: 'PI Nieuwegein' }, 23.5],
  [{ code: 'PI-LLS', name: 'PI Lelystad' }, 20.3],
  [{ code: 'PI-AAR', name: 'PI Alphen aan den Rijn' }, 9.9],
  [{ code: 'PI-UTR', name: 'PI Utrecht' }, 5.8],
  [{ code: 'PI-VGT', name: 'PI Vught' }, 10],
  [{ code: 'PI-ZWL', name: 'PI Zwolle' }, 8],
  [{ code: 'PI-HGL', name: 'PI Haaglanden' }, 10],
  [{ code: 'PI-HHW', name: 'PI Heerhugowaard' }, 7],
  [{ code: 'PI-NSL', name: 'PI Nieuwersluis' }, 5.5],
];
/** The demo tenants' municipalities, plus two that belong to no tenant (stored, routed to no one). */
const MUNICIPALITIES: [string, number][] = [
  ['0307', 30],
  ['0327', 5],
  ['0351', 3],
  ['1783', 12],
  ['0392', 30],
  ['0361', 10],
  ['0344', 10],
];
const MALE_NAMES = [
  'Jan',
  'Mohamed',
  'Kevin',
  'Dennis',
  'Mark',
  'Stefan',
  'Ricardo',
  'Youssef',
  'Tim',
  'Sander',
];
const FEMALE_NAMES = ['Sanne', 'Fatima', 'Linda', 'Kim', 'Naomi', 'Esther'];
const FAMILY: [string | null, string][] = [
  ['de', 'Vries'],
  ['van', 'Dijk'],
  [null, 'Jansen'],
  [null, 'Bakker'],
  ['van der', 'Berg'],
  [null, 'El Amrani'],
  [null, 'Visser'],
  ['de', 'Jong'],
  [null, 'Yilmaz'],
  [null, 'Smit'],
];
const PROVIDERS = ['Victas', 'GGZ Centraal', 'De Waag', 'Kwintes', 'Leger des Heils', 'Exodus'];

export interface Lifecycle {
  detentionId: string;
  lengthDays: number;
  events: CloudEvent<object>[];
}

export class LifecycleGenerator {
  private readonly random: SeededRandom;
  private sequence = 0;

  constructor(
    seed: number,
    /** The clock: events are stamped with it when generated (simulation compresses time). */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.random = new SeededRandom(seed);
  }

  next(): Lifecycle {
    const r = this.random;
    this.sequence += 1;
    const detentionId = `DJI-SIM-${String(r.int(0, 1e9)).padStart(9, '0')}-${this.sequence}`;
    const lengthDays = Math.min(3406, Math.max(2, Math.round(r.logNormal(LENGTH_MU, LENGTH_SIGMA))));
    const start = new Date(this.now().getTime() - r.int(0, 12) * 3600_000);
    const releaseDate = isoDate(new Date(start.getTime() + lengthDays * 86400_000));
    const origin = r.weighted(MUNICIPALITIES);
    const started = this.startedData(detentionId, start, releaseDate, origin, lengthDays);
    const events: CloudEvent<object>[] = [
      this.event(DetentionEventType.DETENTION_STARTED, detentionId, started),
    ];

    // A notification that turns out wrong is withdrawn instead of followed (rare).
    if (r.chance(0.02)) {
      events.push(
        this.event(DetentionEventType.NOTIFICATION_WITHDRAWN, detentionId, {
          detentionId,
          reason: 'wrong person',
        }),
      );
      return { detentionId, lengthDays, events };
    }
    // About half are screened (413 of 832); short stays much less often (PI Nieuwersluis skips < 30 days).
    const screenChance = lengthDays < 30 ? 0.3 : lengthDays < 90 ? 0.55 : 0.8;
    if (r.chance(screenChance)) {
      events.push(
        this.event(DetentionEventType.SCREENING_COMPLETED, detentionId, this.screeningData(detentionId)),
      );
    }
    if (r.chance(0.15)) {
      const to = r.weighted(INSTITUTIONS);
      events.push(
        this.event(DetentionEventType.DETENTION_TRANSFERRED, detentionId, {
          detentionId,
          transferredAt: this.now().toISOString(),
          from: started.institution,
          to,
        }),
      );
    }
    let expected = started.expectedReleaseDate ?? null;
    for (let i = 0, n = expected ? r.int(0, 1) : r.int(1, 2); i < n; i++) {
      const shifted = isoDate(new Date(Date.parse(releaseDate) + r.int(-10, 30) * 86400_000));
      const next = shifted < isoDate(start) ? releaseDate : shifted;
      events.push(
        this.event(DetentionEventType.RELEASE_SCHEDULED, detentionId, {
          detentionId,
          expectedReleaseDate: next,
          previousExpectedReleaseDate: expected,
        }),
      );
      expected = next;
    }
    events.push(
      this.event(DetentionEventType.DETENTION_RELEASED, detentionId, this.releasedData(detentionId, origin)),
    );
    return { detentionId, lengthDays, events };
  }

  private startedData(
    detentionId: string,
    start: Date,
    releaseDate: string,
    origin: string,
    lengthDays: number,
  ): DetentionStartedData {
    const r = this.random;
    const gender = r.weighted<'M' | 'V' | 'X'>([
      ['M', 92.2],
      ['V', 7.6],
      ['X', 0.2],
    ]);
    const age = Math.min(75, Math.round(18 + r.logNormal(2.6, 0.6)));
    const birth = new Date(start.getTime() - (age * 365.25 + r.int(0, 364)) * 86400_000);
    const [prefix, family] = r.pick(FAMILY);
    return {
      detentionId,
      person: {
        bsn: testBsn(r),
        givenNames: r.pick(gender === 'V' ? FEMALE_NAMES : MALE_NAMES),
        familyNamePrefix: prefix,
        familyName: family,
        birthDate: isoDate(birth),
        gender,
      },
      institution: r.weighted(INSTITUTIONS),
      startedAt: start.toISOString(),
      legalStatus: r.weighted([
        ['preventief', 40],
        ['veroordeeld', 52],
        ['isd', 5],
        ['tbs', 3],
      ]),
      // Often unknown at the start for pre-trial detention; releases are "announced late" (003).
      expectedReleaseDate: r.chance(0.6) ? releaseDate : null,
      municipalityOfOrigin: origin,
      caseManager: {
        name: `Casemanager ${r.int(1, 40)}`,
        phone: `0${r.int(100000000, 999999999)}`,
        email: null,
      },
      supervision: lengthDays > 60 && r.chance(0.35) ? { organisation: 'reclassering-nederland' } : null,
      flags: { topX: r.chance(0.03), pga: r.chance(0.05), bij: r.chance(0.01) },
    };
  }

  private screeningData(detentionId: string): ScreeningCompletedData {
    const r = this.random;
    // DOMAIN.md, table 14: 12.3% no ID before detention, 7.2% unknown.
    const id = r.weighted<'valid' | 'none' | 'unknown'>([
      ['valid', 80.5],
      ['none', 12.3],
      ['unknown', 7.2],
    ]);
    const needsCare = r.chance(0.6);
    const areas = needsCare
      ? (['ggz', 'addiction', 'lvb', 'somatic', 'other'] as const).filter((_, i) =>
          r.chance([0.5, 0.35, 0.35, 0.1, 0.1][i]),
        )
      : [];
    return {
      detentionId,
      screenedAt: this.now().toISOString(),
      identity: {
        hasValidId: id === 'valid',
        documentType:
          id === 'valid'
            ? r.pick(['id-card', 'passport', 'driving-licence', 'residence-permit'] as const)
            : id,
      },
      housing: {
        // Own home before detention 32.7%.
        situation: r.weighted([
          ['own-home', 32.7],
          ['rental', 20],
          ['with-family', 20],
          ['homeless', 17],
          ['institution', 5],
          ['unknown', 5.3],
        ]),
        atRiskOfLoss: r.chance(0.4),
      },
      incomeWork: (() => {
        const situation = r.weighted<'employed' | 'benefit' | 'none' | 'unknown'>([
          ['employed', 25],
          ['benefit', 40],
          ['none', 30],
          ['unknown', 5],
        ]);
        return { situation, benefitType: situation === 'benefit' ? 'participatiewet' : null };
      })(),
      // "Nearly all ex-detainees have debts" (002).
      debts: {
        hasDebts: r.chance(0.85),
        cjibDebt: r.chance(0.5),
        estimatedTotal: r.weighted([
          ['<1000', 15],
          ['1000-10000', 45],
          ['>10000', 25],
          ['unknown', 15],
        ]),
        wantsHelp: r.chance(0.6),
      },
      care: {
        needsCare,
        areas: needsCare && areas.length === 0 ? ['other'] : [...areas],
        currentProviders: needsCare && r.chance(0.4) ? [r.pick(PROVIDERS)] : [],
      },
      socialNetwork: r.chance(0.8) ? { supportive: r.chance(0.4) } : null,
      consent: { schuldhulp: r.chance(0.7), zorg: r.chance(0.6) },
    };
  }

  private releasedData(detentionId: string, origin: string): DetentionReleasedData {
    const r = this.random;
    // Destination after release unknown in 36.5%.
    const destination = r.chance(0.365) ? null : r.chance(0.85) ? origin : r.weighted(MUNICIPALITIES);
    return {
      detentionId,
      releasedAt: this.now().toISOString(),
      releaseType: r.weighted([
        ['end-of-sentence', 60],
        ['conditional-release', 25],
        ['suspension', 10],
        ['other', 5],
      ]),
      destinationMunicipality: destination,
      addressAfterRelease:
        destination && r.chance(0.6)
          ? {
              street: 'Stationsstraat',
              houseNumber: String(r.int(1, 200)),
              postalCode: `${r.int(1000, 9999)}AB`,
              city: 'Amersfoort',
            }
          : null,
      supervisionContinues: r.chance(0.3),
    };
  }

  private event(type: DetentionEventType, detentionId: string, data: object): CloudEvent<object> {
    this.sequence += 1;
    return {
      specversion: '1.0',
      id: `sim-${detentionId}-${this.sequence}`,
      source: SOURCE_OF_TYPE[type],
      type,
      time: this.now().toISOString(),
      subject: detentionId,
      datacontenttype: 'application/json',
      data,
    };
  }
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
