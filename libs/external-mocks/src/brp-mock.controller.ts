import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { Response } from 'express';
import { actOut, behaviourOf, digest } from './mock-behaviour';
import { RecordingMockController, RequestLog } from './request-log';

interface PersonenQuery {
  type?: string;
  burgerservicenummer?: string[];
  fields?: string[];
  gemeenteVanInschrijving?: string;
}

const GEMEENTEN: [string, string][] = [
  ['0307', 'Amersfoort'],
  ['0327', 'Leusden'],
  ['0351', 'Woudenberg'],
  ['1783', 'Westland'],
  ['0392', 'Haarlem'],
];
const STREETS = ['Langestraat', 'Utrechtseweg', 'Kerkstraat', 'Stationsplein', 'Dorpsstraat'];

/**
 * Mock of the Haal Centraal BRP Personen API v2 (POST /haalcentraal/api/brp/personen): `fields` is
 * mandatory and only the fields asked for come back, as in the real API, so the connector can be
 * pointed at the real one.
 */
@Controller('haalcentraal/api/brp')
export class BrpMockController extends RecordingMockController {
  constructor(log: RequestLog) {
    super(log, 'brp');
  }

  @Post('personen')
  @HttpCode(200)
  async personen(@Body() query: PersonenQuery, @Res() res: Response): Promise<void> {
    this.record(query);
    const problems: { name: string; reason: string }[] = [];
    if (query.type !== 'RaadpleegMetBurgerservicenummer')
      problems.push({ name: 'type', reason: 'unsupported query type' });
    if (!Array.isArray(query.burgerservicenummer) || query.burgerservicenummer.length === 0) {
      problems.push({ name: 'burgerservicenummer', reason: 'required' });
    }
    if (!Array.isArray(query.fields) || query.fields.length === 0)
      problems.push({ name: 'fields', reason: 'required' });
    if (problems.length) {
      res
        .status(400)
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: 'https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1',
            title: 'Bad Request',
            status: 400,
            invalidParams: problems,
          }),
        );
      return;
    }
    const bsns = query.burgerservicenummer as string[];
    const behaviours = bsns.map((b) => behaviourOf(b));
    for (const behaviour of behaviours) if (await actOut(behaviour, res)) return;
    const personen = bsns
      .filter((_, i) => behaviours[i] !== 'unknown')
      .map((bsn) => pick(person(bsn), query.fields as string[]));
    res.json({ type: 'RaadpleegMetBurgerservicenummer', personen });
  }
}

function person(bsn: string): Record<string, unknown> {
  const d = digest(bsn);
  const [code, name] = GEMEENTEN[d % GEMEENTEN.length];
  // About 9% have no address: deregistered during detention, or never registered (DOMAIN.md: 91.1%).
  const registered = d % 100 < 91;
  return {
    burgerservicenummer: bsn,
    naam: { voornamen: 'Test', geslachtsnaam: 'Persoon', volledigeNaam: 'Test Persoon' },
    geboorte: { datum: { type: 'Datum', datum: '1990-01-01' } },
    gemeenteVanInschrijving: registered
      ? { code, omschrijving: name }
      : { code: '1999', omschrijving: 'Registratie Niet Ingezetenen (RNI)' },
    datumInschrijvingInGemeente: { type: 'Datum', datum: '2015-06-01' },
    verblijfplaats: registered
      ? {
          type: 'Adres',
          verblijfadres: {
            officieleStraatnaam: STREETS[d % STREETS.length],
            huisnummer: (d % 200) + 1,
            postcode: `${3800 + (d % 100)}AB`,
            woonplaats: name,
          },
        }
      : { type: 'VerblijfplaatsOnbekend' },
    // Mock extension (the real API has no travel documents): whether a valid ID document is known.
    indicatieGeldigIdentiteitsbewijs: d % 8 !== 0,
  };
}

/** Only the fields asked for (top-level names or dotted paths), like the real API. */
function pick(source: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const [head, ...rest] = field.split('.');
    const value = source[head];
    if (value === undefined) continue;
    if (rest.length === 0 || typeof value !== 'object' || value === null) out[head] = value;
    else {
      const nested = pick(value as Record<string, unknown>, [rest.join('.')]);
      out[head] = { ...((out[head] as object) ?? {}), ...nested };
    }
  }
  return out;
}
