import { Institution } from '@nazorg/contracts';

/*
 * Reference data the simulated lifecycles draw from. Weights are percentages where DOMAIN.md gives
 * a figure (Amersfoort 2013-2015 audit) and plausible guesses elsewhere; the names are common
 * Dutch names, reflecting the mixed population of Dutch prisons. None of it is about real people.
 */

/** DOMAIN.md: Nieuwegein 23.5%, Lelystad 20.3%, Alphen aan den Rijn 9.9%, Utrecht 5.8%; the rest spread. */
export const INSTITUTIONS: readonly (readonly [Institution, number])[] = [
  [{ code: 'PI-NWG', name: 'PI Nieuwegein' }, 23.5],
  [{ code: 'PI-LLS', name: 'PI Lelystad' }, 20.3],
  [{ code: 'PI-AAR', name: 'PI Alphen aan den Rijn' }, 9.9],
  [{ code: 'PI-UTR', name: 'PI Utrecht' }, 5.8],
  [{ code: 'PI-HGL', name: 'PI Haaglanden' }, 7],
  [{ code: 'PI-RTM', name: 'PI Rotterdam' }, 5],
  [{ code: 'PI-VGT', name: 'PI Vught' }, 5],
  [{ code: 'PI-ZWL', name: 'PI Zwolle' }, 5],
  [{ code: 'PI-ZDM', name: 'PI Zaanstad' }, 4.5],
  [{ code: 'PI-HHW', name: 'PI Heerhugowaard' }, 4],
  [{ code: 'PI-ALM', name: 'PI Almere' }, 4],
  [{ code: 'PI-ARN', name: 'PI Arnhem' }, 3],
  [{ code: 'PI-NSL', name: 'PI Nieuwersluis' }, 3],
];

export interface Municipality {
  code: string;
  /** Places in the municipality, with the range of their postal codes' four digits. */
  places: readonly (readonly [city: string, postalFrom: number, postalTo: number])[];
}

/**
 * Mostly the demo tenants' municipalities (CONTRACT section 5: eemland-zuid 0307/0327/0351,
 * westland 1783, haarlem 0392), so the demo has traffic to route; about a quarter belong to no
 * tenant and must be stored and delivered to no one.
 */
export const MUNICIPALITIES: readonly (readonly [Municipality, number])[] = [
  [{ code: '0307', places: [['Amersfoort', 3811, 3829]] }, 26],
  [{ code: '0327', places: [['Leusden', 3830, 3833]] }, 5],
  [{ code: '0351', places: [['Woudenberg', 3930, 3931]] }, 3],
  [
    {
      code: '1783',
      places: [
        ['Naaldwijk', 2671, 2671],
        ["'s-Gravenzande", 2691, 2691],
        ['Monster', 2681, 2681],
        ['Wateringen', 2291, 2291],
      ],
    },
    16,
  ],
  [{ code: '0392', places: [['Haarlem', 2011, 2037]] }, 25],
  [{ code: '0361', places: [['Alkmaar', 1811, 1825]] }, 8],
  [{ code: '0344', places: [['Utrecht', 3511, 3585]] }, 9],
  [{ code: '0363', places: [['Amsterdam', 1011, 1109]] }, 8],
];

export const MALE_GIVEN_NAMES = [
  'Jan',
  'Pieter',
  'Kevin',
  'Dennis',
  'Mark',
  'Stefan',
  'Ricardo',
  'Sander',
  'Tim',
  'Bas',
  'Jeroen',
  'Mike',
  'Jordy',
  'Niels',
  'Patrick',
  'Robin',
  'Daan',
  'Thomas',
  'Mohamed',
  'Youssef',
  'Ahmed',
  'Rachid',
  'Khalid',
  'Soufiane',
  'Mustafa',
  'Mehmet',
  'Emre',
  'Murat',
  'Jermaine',
  'Romano',
  'Dwayne',
  'Giovanni',
  'Tomasz',
  'Piotr',
] as const;

export const FEMALE_GIVEN_NAMES = [
  'Sanne',
  'Lisa',
  'Kim',
  'Linda',
  'Naomi',
  'Esther',
  'Monique',
  'Priscilla',
  'Fatima',
  'Samira',
  'Naima',
  'Elif',
  'Shanice',
  'Agnieszka',
] as const;

/** Second given names, for the share of people registered with more than one. */
export const SECOND_GIVEN_NAMES = ['Johannes', 'Maria', 'Petrus', 'Cornelis', 'Amine', 'Hendrik'] as const;

export const FAMILY_NAMES: readonly (readonly [prefix: string | null, name: string])[] = [
  ['de', 'Vries'],
  ['de', 'Jong'],
  ['van', 'Dijk'],
  ['van den', 'Berg'],
  ['van der', 'Meer'],
  ['van der', 'Linden'],
  ['van', 'Leeuwen'],
  ['de', 'Boer'],
  ['de', 'Graaf'],
  ['de', 'Wit'],
  ['van den', 'Heuvel'],
  [null, 'Jansen'],
  [null, 'Bakker'],
  [null, 'Visser'],
  [null, 'Smit'],
  [null, 'Meijer'],
  [null, 'Mulder'],
  [null, 'Bos'],
  [null, 'Dekker'],
  [null, 'Brouwer'],
  [null, 'Dijkstra'],
  [null, 'Hendriks'],
  [null, 'Kok'],
  [null, 'El Amrani'],
  [null, 'Bouzid'],
  [null, 'Benali'],
  [null, 'Yilmaz'],
  [null, 'Kaya'],
  [null, 'Demir'],
  [null, 'Martina'],
  [null, 'Pinas'],
  [null, 'Ramdin'],
  [null, 'Kowalski'],
  [null, 'Nowak'],
];

export const STREETS = [
  'Kerkstraat',
  'Stationsweg',
  'Dorpsstraat',
  'Julianalaan',
  'Wilhelminastraat',
  'Beatrixstraat',
  'Molenstraat',
  'Schoolstraat',
  'Nieuwstraat',
  'Lindenlaan',
  'Eikenlaan',
  'Rembrandtlaan',
  'Vondelstraat',
  'Zonnebloemstraat',
] as const;

/** Probation services (reclassering): the three organisations that supervise in the Netherlands. */
export const SUPERVISORS: readonly (readonly [string, number])[] = [
  ['reclassering-nederland', 65],
  ['verslavingsreclassering-ggz', 25],
  ['leger-des-heils-jeugdbescherming-reclassering', 10],
];

/** Care partners named in DOMAIN.md, by the care area they mostly serve. */
export const CARE_PROVIDERS = {
  addiction: ['Victas', 'Tactus'],
  ggz: ['GGZ Centraal', 'De Waag'],
  lvb: ['Kwintes', 'Reinaerde'],
  somatic: ['Huisartsenpraktijk'],
  other: ['Leger des Heils', 'Exodus'],
} as const;

export const WITHDRAWAL_REASONS: readonly (readonly [string, number])[] = [
  ['wrong person', 40],
  ['registered in error', 25],
  ['duplicate notification', 20],
  ['wrong municipality of origin', 15],
];
