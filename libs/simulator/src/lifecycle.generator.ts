import {
  CareArea,
  DetentionEvent,
  DetentionEventData,
  DetentionEventType,
  DetentionReleasedData,
  DetentionStartedData,
  DocumentType,
  Gender,
  HousingSituation,
  IncomeSituation,
  LegalStatus,
  ReleaseType,
  ScreeningCompletedData,
  SOURCE_OF_TYPE,
} from '@nazorg/contracts';
import {
  CARE_PROVIDERS,
  FAMILY_NAMES,
  FEMALE_GIVEN_NAMES,
  INSTITUTIONS,
  MALE_GIVEN_NAMES,
  MUNICIPALITIES,
  SECOND_GIVEN_NAMES,
  STREETS,
  SUPERVISORS,
  WITHDRAWAL_REASONS,
} from './reference-data';
import { SeededRandom } from './random';
import { testBsn } from './test-bsn';

export interface LifecycleGeneratorOptions {
  /** The clock lifecycles are generated around (default: the system clock). */
  now?: () => Date;
  /** Share of notifications that turn out wrong and are withdrawn instead of followed (default 2%). */
  withdrawnShare?: number;
  /**
   * Share of detentions of a person detained before: DOMAIN.md counts 832 notifications for 566
   * persons, so about a third are repeats (default 1 - 566/832).
   */
  repeatShare?: number;
}

export interface Lifecycle {
  detentionId: string;
  /** Days from start to release, as drawn (also for a withdrawn notification). */
  lengthDays: number;
  outcome: 'released' | 'withdrawn';
  /** In the order the feed emits them: `detention.started` first, released or withdrawn last. */
  events: DetentionEvent[];
}

type Person = DetentionStartedData['person'];

interface KnownPerson {
  person: Person;
  origin: string;
  /** The lifecycle count until which this person is still "inside". */
  busyUntil: number;
  mayReturn?: boolean;
}

/** An event planned on a day of the detention; a lifecycle's events are its steps sorted by day. */
interface Step {
  day: number;
  type: DetentionEventType;
  data: DetentionEventData;
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

/*
 * Detention length in days: log-normal truncated to the observed 2..3406 days, with mu and sigma
 * fitted so that 73% are shorter than 90 days and the mean is 110 days (DOMAIN.md).
 */
const LENGTH = { mu: 3.47, sigma: 1.605, min: 2, max: 3406 };
/**
 * Age at the start: 18 plus a gamma(2, 8.25) variable, right-skewed like prison populations (most in
 * their twenties and thirties, the young adults well represented), mean 34, at most 75.
 */
const AGE = { min: 18, max: 75, shape: 2, scale: 8.25 };
/**
 * A person detained again is drawn only from people whose earlier lifecycle was generated at least
 * this many lifecycles ago, so a simulation does not hold the same person in two prisons at once.
 */
const REPEAT_COOLDOWN = 100;
const ID_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The field of each type's `data` that reports when it happened (set to the emission moment). */
const MOMENT_FIELD: Partial<Record<DetentionEventType, string>> = {
  [DetentionEventType.SCREENING_COMPLETED]: 'screenedAt',
  [DetentionEventType.DETENTION_TRANSFERRED]: 'transferredAt',
  [DetentionEventType.DETENTION_RELEASED]: 'releasedAt',
};

/**
 * Whole detention lifecycles as CONTRACT section 2 events, with the figures of DOMAIN.md. Time is
 * compressed: a detention starts in the twelve hours before the clock's "now", and its later events
 * report the moment they are emitted (see `emittedAt`), while the dates they announce (expected
 * release) lie where a real detention of that length would put them. Deterministic per seed.
 */
export class LifecycleGenerator {
  private readonly random: SeededRandom;
  private readonly now: () => Date;
  private readonly withdrawnShare: number;
  private readonly repeatShare: number;
  private generated = 0;
  /** Everyone simulated so far, by BSN: a BSN drawn again is the same person. */
  private readonly people = new Map<string, KnownPerson>();
  private readonly coolingDown: { person: KnownPerson; until: number }[] = [];
  private readonly mayReturn: KnownPerson[] = [];

  constructor(seed: number, options: LifecycleGeneratorOptions = {}) {
    this.random = new SeededRandom(seed);
    this.now = options.now ?? (() => new Date());
    this.withdrawnShare = options.withdrawnShare ?? 0.02;
    this.repeatShare = options.repeatShare ?? 1 - 566 / 832;
  }

  next(): Lifecycle {
    const r = this.random;
    this.generated += 1;
    const now = this.now();
    const lengthDays = this.detentionLength();
    const legalStatus = this.legalStatus(lengthDays);
    // INJUS notifies on the first day: the detention started in the last twelve hours.
    const start = new Date(Math.floor(now.getTime() / 60_000 - r.int(0, 720)) * 60_000);
    const detentionId = `DJI-SIM-${start.getUTCFullYear()}-${r.string(10, ID_ALPHABET)}`;
    const known = this.person(start);
    const institution = { ...r.weighted(INSTITUTIONS) };

    const knownAtStart = r.chance(legalStatus === 'preventief' ? 0.15 : 0.8);
    const announcements = this.releaseAnnouncements(start, lengthDays, knownAtStart);
    const expectedAtStart = knownAtStart ? (announcements.shift()?.date ?? null) : null;

    const started = this.startedData(detentionId, known, institution, start, legalStatus, expectedAtStart);
    const steps: Step[] = [{ day: 0, type: DetentionEventType.DETENTION_STARTED, data: started }];
    let previous = expectedAtStart;
    for (const { day, date } of announcements) {
      steps.push({
        day,
        type: DetentionEventType.RELEASE_SCHEDULED,
        data: { detentionId, expectedReleaseDate: date, previousExpectedReleaseDate: previous },
      });
      previous = date;
    }
    // Screened: 413 of 832; within ten working days, and short stays often not at all (004).
    if (r.chance(lengthDays < 30 ? 0.25 : lengthDays < 90 ? 0.6 : 0.85)) {
      steps.push({
        day: Math.min(r.int(2, 14), lengthDays - 1),
        type: DetentionEventType.SCREENING_COMPLETED,
        data: this.screeningData(detentionId, now, lengthDays),
      });
    }
    const transfers = this.transferCount(lengthDays);
    const transferDays = Array.from({ length: transfers }, () => r.int(1, lengthDays - 1)).sort(
      (a, b) => a - b,
    );
    let from = institution;
    for (const day of transferDays) {
      const to = this.otherInstitution(from.code);
      steps.push({
        day,
        type: DetentionEventType.DETENTION_TRANSFERRED,
        data: { detentionId, transferredAt: now.toISOString(), from: { ...from }, to: { ...to } },
      });
      from = to;
    }
    steps.push({
      day: lengthDays,
      type: DetentionEventType.DETENTION_RELEASED,
      data: this.releasedData(detentionId, now, known.origin, legalStatus, lengthDays, started),
    });

    let outcome: Lifecycle['outcome'] = 'released';
    let planned = steps;
    if (r.chance(this.withdrawnShare)) {
      // A wrong notification is noticed early; what would have followed never happens.
      const day = r.int(0, Math.min(10, lengthDays - 1));
      outcome = 'withdrawn';
      planned = steps.filter((s) => s.day <= day && s.type !== DetentionEventType.DETENTION_RELEASED);
      planned.push({
        day,
        type: DetentionEventType.NOTIFICATION_WITHDRAWN,
        data: { detentionId, reason: r.weighted(WITHDRAWAL_REASONS) },
      });
    }
    // Stable sort: on the same day the order above holds (start first, withdrawal last).
    const events = [...planned]
      .sort((a, b) => a.day - b.day)
      .map((s) => this.event(s.type, detentionId, s.data, now));
    return { detentionId, lengthDays, outcome, events };
  }

  /**
   * Expected release dates as they become known and change ("releases are often announced late",
   * 003), each on a day of the detention. The last is the real date; earlier ones were off, but
   * never a date already past when announced. With `knownAtStart` the first is on day 0 and goes
   * into `detention.started`.
   */
  private releaseAnnouncements(start: Date, lengthDays: number, knownAtStart: boolean) {
    const r = this.random;
    const releaseDate = isoDate(start.getTime() + lengthDays * DAY_MS);
    const changes = r.weighted<number>(
      knownAtStart
        ? [
            [0, 60],
            [1, 30],
            [2, 10],
          ]
        : [
            [0, 10],
            [1, 65],
            [2, 20],
            [3, 5],
          ],
    );
    const days = Array.from({ length: changes }, () => r.int(0, lengthDays - 1)).sort((a, b) => a - b);
    if (knownAtStart) days.unshift(0);
    const announcements: { day: number; date: string }[] = [];
    days.forEach((day, i) => {
      const off = r.chance(0.4) ? r.int(-45, -1) : r.int(1, 60);
      const notBefore = isoDate(start.getTime() + (day + 1) * DAY_MS);
      const guess = addDays(releaseDate, off);
      const date = i === days.length - 1 ? releaseDate : guess < notBefore ? notBefore : guess;
      if (announcements[announcements.length - 1]?.date !== date) announcements.push({ day, date });
    });
    return announcements;
  }

  private detentionLength(): number {
    for (;;) {
      const days = Math.round(this.random.logNormal(LENGTH.mu, LENGTH.sigma));
      if (days >= LENGTH.min && days <= LENGTH.max) return days;
    }
  }

  private legalStatus(lengthDays: number): LegalStatus {
    // Short stays are mostly pre-trial; ISD and TBS only among long ones.
    const r = this.random;
    if (lengthDays <= 14)
      return r.weighted<LegalStatus>([
        ['preventief', 70],
        ['veroordeeld', 30],
      ]);
    if (lengthDays <= 365)
      return r.weighted<LegalStatus>([
        ['preventief', 35],
        ['veroordeeld', 65],
      ]);
    if (lengthDays <= 600)
      return r.weighted<LegalStatus>([
        ['preventief', 10],
        ['veroordeeld', 90],
      ]);
    // ISD is a two-year measure; TBS starts in prison and ends in a clinic, after long stays.
    if (lengthDays <= 760)
      return r.weighted<LegalStatus>([
        ['veroordeeld', 70],
        ['isd', 25],
        ['tbs', 5],
      ]);
    return r.weighted<LegalStatus>([
      ['veroordeeld', 85],
      ['tbs', 15],
    ]);
  }

  /** A new person, or one detained before (a BSN drawn again is that same person). */
  private person(start: Date): KnownPerson {
    const r = this.random;
    while (this.coolingDown.length && this.coolingDown[0].until <= this.generated) {
      const { person } = this.coolingDown.shift()!;
      if (person.busyUntil <= this.generated && !person.mayReturn) {
        person.mayReturn = true;
        this.mayReturn.push(person);
      }
    }
    let known: KnownPerson | undefined;
    if (this.mayReturn.length > 0 && r.chance(this.repeatShare)) {
      const index = r.int(0, this.mayReturn.length - 1);
      known = this.mayReturn[index];
      this.mayReturn[index] = this.mayReturn[this.mayReturn.length - 1];
      this.mayReturn.pop();
      // Most come back from where they lived before.
      if (r.chance(0.1)) known.origin = r.weighted(MUNICIPALITIES).code;
    } else {
      // About 9,000 test BSNs exist: once most are used, a drawn one is simply someone seen before.
      let bsn = testBsn(r);
      for (let tries = 0; this.people.has(bsn) && tries < 50; tries++) bsn = testBsn(r);
      known = this.people.get(bsn);
      if (!known) {
        known = { person: this.newPerson(bsn, start), origin: r.weighted(MUNICIPALITIES).code, busyUntil: 0 };
        this.people.set(bsn, known);
      } else if (known.mayReturn) {
        this.mayReturn.splice(this.mayReturn.indexOf(known), 1);
      }
    }
    known.mayReturn = false;
    known.busyUntil = this.generated + REPEAT_COOLDOWN;
    this.coolingDown.push({ person: known, until: known.busyUntil });
    return known;
  }

  private newPerson(bsn: string, start: Date): Person {
    const r = this.random;
    // 522 men and 44 women of 566 persons; X is rare.
    const gender = r.weighted<Gender>([
      ['M', 92.2],
      ['V', 7.6],
      ['X', 0.2],
    ]);
    let age: number;
    do age = AGE.min + r.gamma(AGE.shape, AGE.scale);
    while (age > AGE.max);
    const names =
      gender === 'M'
        ? MALE_GIVEN_NAMES
        : gender === 'V'
          ? FEMALE_GIVEN_NAMES
          : r.pick([MALE_GIVEN_NAMES, FEMALE_GIVEN_NAMES]);
    const first = r.pick<string>(names);
    const [prefix, familyName] = r.pick(FAMILY_NAMES);
    return {
      bsn,
      givenNames: r.chance(0.2) ? `${first} ${r.pick(SECOND_GIVEN_NAMES)}` : first,
      familyNamePrefix: prefix,
      familyName,
      birthDate: isoDate(start.getTime() - age * YEAR_MS),
      gender,
    };
  }

  private startedData(
    detentionId: string,
    known: KnownPerson,
    institution: DetentionStartedData['institution'],
    start: Date,
    legalStatus: LegalStatus,
    expectedReleaseDate: string | null,
  ): DetentionStartedData {
    const r = this.random;
    const lengthy = legalStatus !== 'preventief';
    const managerFirst = r.pick<string>(r.chance(0.5) ? MALE_GIVEN_NAMES : FEMALE_GIVEN_NAMES);
    const [managerPrefix, managerFamily] = r.pick(FAMILY_NAMES);
    return {
      detentionId,
      person: { ...known.person },
      institution,
      startedAt: start.toISOString(),
      legalStatus,
      expectedReleaseDate,
      municipalityOfOrigin: known.origin,
      caseManager: {
        name: [managerFirst, managerPrefix, managerFamily].filter(Boolean).join(' '),
        phone: r.chance(0.7) ? `088-07${r.string(5)}` : null,
        // example: a reserved domain, so no simulated address can ever reach a real mailbox.
        email: r.chance(0.5)
          ? `${managerFirst}.${[managerPrefix, managerFamily].filter(Boolean).join('')}@dji.example`
              .toLowerCase()
              .replace(/[^a-z0-9.@-]/g, '')
          : null,
      },
      supervision: r.chance(lengthy ? 0.4 : 0.12) ? { organisation: r.weighted(SUPERVISORS) } : null,
      // Top X and PGA lists are small; BIJ concerns serious violent and sex offenders (long stays).
      flags: {
        topX: r.chance(0.025),
        pga: r.chance(0.04),
        bij: r.chance(legalStatus === 'tbs' || legalStatus === 'isd' ? 0.05 : 0.003),
      },
    };
  }

  private screeningData(detentionId: string, at: Date, lengthDays: number): ScreeningCompletedData {
    const r = this.random;
    // Table 14: 12.3% had no ID before detention, 7.2% unknown.
    const id = r.weighted<'valid' | 'none' | 'unknown'>([
      ['valid', 80.5],
      ['none', 12.3],
      ['unknown', 7.2],
    ]);
    // An own place (owned or rented) before detention: 32.7% (004). The rest is a plausible guess;
    // DOMAIN.md's 15.3% is the own place *after* detention, not a share of unknown housing.
    const housing = r.weighted<HousingSituation>([
      ['own-home', 8],
      ['rental', 24.7],
      ['with-family', 27],
      ['homeless', 23],
      ['institution', 7.3],
      ['unknown', 10],
    ]);
    const income = r.weighted<IncomeSituation>([
      ['employed', 20],
      ['benefit', 40],
      ['none', 30],
      ['unknown', 10],
    ]);
    // "Nearly all ex-detainees have debts" (002).
    const hasDebts = r.chance(0.85);
    const wantsHelp = hasDebts && r.chance(0.55);
    // 30-45% LVB, about 30% alcohol and 30-40% drugs, at least half a psychiatric disorder (002).
    const areaChances: [CareArea, number][] = [
      ['ggz', 0.5],
      ['addiction', 0.45],
      ['lvb', 0.35],
      ['somatic', 0.1],
      ['other', 0.05],
    ];
    const areas = areaChances.filter(([, p]) => r.chance(p)).map(([area]) => area);
    const needsCare = areas.length > 0;
    const providers = needsCare && r.chance(0.4) ? [r.pick<string>(CARE_PROVIDERS[r.pick(areas)])] : [];
    return {
      detentionId,
      screenedAt: at.toISOString(),
      identity: {
        hasValidId: id === 'valid',
        documentType:
          id === 'valid'
            ? r.weighted<DocumentType>([
                ['id-card', 50],
                ['passport', 25],
                ['driving-licence', 15],
                ['residence-permit', 10],
              ])
            : id,
      },
      housing: {
        situation: housing,
        // Keeping one's home is the goal for stays under six months (004); longer ones often lose it.
        atRiskOfLoss:
          (housing === 'own-home' || housing === 'rental') && r.chance(lengthDays > 180 ? 0.7 : 0.3),
      },
      incomeWork: {
        situation: income,
        benefitType:
          income === 'benefit'
            ? r.weighted([
                ['participatiewet', 80],
                ['ww', 10],
                ['wajong', 10],
              ])
            : null,
      },
      debts: {
        hasDebts,
        cjibDebt: hasDebts && r.chance(0.6),
        estimatedTotal: hasDebts
          ? r.weighted([
              ['<1000', 15],
              ['1000-10000', 45],
              ['>10000', 30],
              ['unknown', 10],
            ])
          : '<1000',
        wantsHelp,
      },
      care: { needsCare, areas, currentProviders: providers },
      socialNetwork: r.chance(0.7) ? { supportive: r.chance(0.45) } : null,
      consent: {
        schuldhulp: r.chance(wantsHelp ? 0.85 : 0.25),
        zorg: r.chance(needsCare ? 0.65 : 0.25),
      },
    };
  }

  private transferCount(lengthDays: number): number {
    const r = this.random;
    if (lengthDays < 14) return 0;
    if (lengthDays < 90) return r.chance(0.08) ? 1 : 0;
    if (lengthDays <= 365)
      return r.weighted([
        [0, 75],
        [1, 20],
        [2, 5],
      ] as const);
    return r.weighted([
      [0, 40],
      [1, 40],
      [2, 20],
    ] as const);
  }

  private otherInstitution(code: string): DetentionStartedData['institution'] {
    return { ...this.random.weighted(INSTITUTIONS.filter(([institution]) => institution.code !== code)) };
  }

  private releasedData(
    detentionId: string,
    at: Date,
    origin: string,
    legalStatus: LegalStatus,
    lengthDays: number,
    started: DetentionStartedData,
  ): DetentionReleasedData {
    const r = this.random;
    const releaseType = this.releaseType(legalStatus, lengthDays);
    // Destination unknown in 36.5%; most who are known go back to where they came from.
    const destination = r.chance(0.365) ? null : r.chance(0.85) ? origin : r.weighted(MUNICIPALITIES).code;
    const supervised = started.supervision != null;
    return {
      detentionId,
      releasedAt: at.toISOString(),
      releaseType,
      destinationMunicipality: destination,
      addressAfterRelease: destination && r.chance(0.6) ? this.address(destination) : null,
      supervisionContinues: r.chance(
        releaseType === 'conditional-release' ? (supervised ? 0.9 : 0.5) : supervised ? 0.5 : 0.05,
      ),
    };
  }

  private releaseType(legalStatus: LegalStatus, lengthDays: number): ReleaseType {
    const r = this.random;
    switch (legalStatus) {
      case 'preventief':
        return r.weighted<ReleaseType>([
          ['suspension', 40],
          ['end-of-sentence', 45],
          ['other', 15],
        ]);
      case 'veroordeeld':
        // Conditional release (v.i.) applies to sentences over a year.
        return lengthDays > 365
          ? r.weighted<ReleaseType>([
              ['conditional-release', 55],
              ['end-of-sentence', 40],
              ['other', 5],
            ])
          : r.weighted<ReleaseType>([
              ['end-of-sentence', 88],
              ['other', 7],
              ['suspension', 5],
            ]);
      case 'isd':
        return r.weighted<ReleaseType>([
          ['end-of-sentence', 85],
          ['other', 15],
        ]);
      case 'tbs':
        // Leaves the prison for a TBS clinic.
        return 'other';
    }
  }

  private address(municipality: string): NonNullable<DetentionReleasedData['addressAfterRelease']> {
    const r = this.random;
    const places = MUNICIPALITIES.find(([m]) => m.code === municipality)?.[0].places ?? [
      ['Amersfoort', 3811, 3829],
    ];
    const [city, from, to] = r.pick(places);
    let letters: string;
    // SA, SD and SS are not used in Dutch postal codes.
    do letters = r.string(2, 'ABCDEFGHJKLMNPRSTVWXZ');
    while (letters === 'SA' || letters === 'SD' || letters === 'SS');
    return {
      street: r.pick(STREETS),
      houseNumber: String(r.int(1, 180)),
      postalCode: `${r.int(from, to)}${letters}`,
      city,
    };
  }

  private event(
    type: DetentionEventType,
    detentionId: string,
    data: DetentionEventData,
    at: Date,
  ): DetentionEvent {
    return {
      specversion: '1.0',
      id: this.random.uuid(),
      source: SOURCE_OF_TYPE[type],
      type,
      time: at.toISOString(),
      subject: detentionId,
      datacontenttype: 'application/json',
      data,
    };
  }
}

/**
 * The event as emitted at `at`: its `time` and the moment its data reports (screenedAt,
 * transferredAt, releasedAt) become the emission moment, which is how a simulation compresses a
 * detention of months into minutes. `detention.started` keeps its startedAt.
 */
export function emittedAt(event: DetentionEvent, at: Date): DetentionEvent {
  const time = at.toISOString();
  const moment = MOMENT_FIELD[event.type];
  return {
    ...event,
    time,
    data: moment ? ({ ...event.data, [moment]: time } as DetentionEventData) : event.data,
  };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return isoDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}
