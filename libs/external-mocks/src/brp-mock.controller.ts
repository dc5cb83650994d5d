import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { FaultInjector } from './fault.injector';
import { PERSOON_FIELDS, select, toPersoon } from './haal-centraal';
import { behaviourOf, worstOf } from './mock-behaviour';
import { MockPersonRegistry } from './mock-person.registry';
import { InvalidParam, invalidParams, ProblemDetails } from './problem-details';
import { RecordingMockController } from './recording-mock.controller';
import { MOCK_SYSTEMS, RequestLog } from './request.log';

const QUERY_TYPE = 'RaadpleegMetBurgerservicenummer';
const PARAMETERS = new Set(['type', 'burgerservicenummer', 'fields', 'gemeenteVanInschrijving']);
const KNOWN_FIELDS = new Set<string>(PERSOON_FIELDS);
/** The real API's limit per request. */
const MAX_BSNS = 20;

export interface PersonenAnswer {
  type: typeof QUERY_TYPE;
  personen: Record<string, unknown>[];
}

/**
 * Mock of the Haal Centraal BRP Personen API v2 (`POST /haalcentraal/api/brp/personen`), so the
 * connector could be pointed at the real API. As there, `fields` is mandatory and only the fields
 * asked for come back (data minimisation when pulling), unexpected parameters are refused, and a
 * person the BRP does not know is simply absent from `personen`.
 */
@Controller(MOCK_SYSTEMS.brp)
export class BrpMockController extends RecordingMockController {
  constructor(
    log: RequestLog,
    private readonly persons: MockPersonRegistry,
    private readonly faults: FaultInjector,
  ) {
    super(log, 'brp');
  }

  @Post('personen')
  @HttpCode(200)
  async personen(
    @Body() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PersonenAnswer | ProblemDetails> {
    this.record(req);
    const problems = validate(query);
    if (problems.length) return invalidParams(res, problems);
    const { burgerservicenummer: bsns, fields, gemeenteVanInschrijving } = query as ValidQuery;
    const fault = await this.faults.apply(worstOf(bsns.map((bsn) => behaviourOf(bsn))), res);
    if (fault) return fault;
    const personen = bsns
      .map((bsn) => this.persons.find(bsn))
      .filter((person) => person !== undefined)
      .filter((person) => !gemeenteVanInschrijving || person.municipality.code === gemeenteVanInschrijving)
      .map((person) => select(toPersoon(person), fields));
    return { type: QUERY_TYPE, personen };
  }
}

interface ValidQuery {
  type: typeof QUERY_TYPE;
  burgerservicenummer: string[];
  fields: string[];
  gemeenteVanInschrijving?: string;
}

/** Every problem at once, named and worded like Haal Centraal's invalidParams. */
function validate(query: unknown): InvalidParam[] {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    return [{ name: 'type', code: 'required', reason: 'Parameter is verplicht.' }];
  }
  const q = query as Record<string, unknown>;
  const problems: InvalidParam[] = Object.keys(q)
    .filter((key) => !PARAMETERS.has(key))
    .map((name) => ({ name, code: 'unknownParam', reason: 'Parameter is niet verwacht.' }));
  if (q.type === undefined)
    problems.push({ name: 'type', code: 'required', reason: 'Parameter is verplicht.' });
  else if (q.type !== QUERY_TYPE) {
    problems.push({ name: 'type', code: 'value', reason: 'Waarde is geen geldig zoek type.' });
  }
  problems.push(...validateList(q.burgerservicenummer, 'burgerservicenummer', MAX_BSNS, checkBsn));
  problems.push(...validateList(q.fields, 'fields', 130, checkField));
  const gemeente = q.gemeenteVanInschrijving;
  if (gemeente !== undefined && (typeof gemeente !== 'string' || !/^[0-9]{4}$/.test(gemeente))) {
    problems.push({
      name: 'gemeenteVanInschrijving',
      code: 'pattern',
      reason: 'Waarde voldoet niet aan patroon ^[0-9]{4}$.',
    });
  }
  return problems;
}

function validateList(
  value: unknown,
  name: string,
  max: number,
  check: (item: unknown, name: string) => InvalidParam | undefined,
): InvalidParam[] {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    return [{ name, code: 'required', reason: 'Parameter is verplicht.' }];
  }
  if (!Array.isArray(value)) return [{ name, code: 'array', reason: 'Parameter is geen array.' }];
  if (value.length > max) {
    return [{ name, code: 'maxItems', reason: `Array bevat meer dan ${max} items.` }];
  }
  return value.map((item, i) => check(item, `${name}[${i}]`)).filter((p) => p !== undefined);
}

function checkBsn(item: unknown, name: string): InvalidParam | undefined {
  return typeof item === 'string' && /^[0-9]{9}$/.test(item)
    ? undefined
    : { name, code: 'pattern', reason: 'Waarde voldoet niet aan patroon ^[0-9]{9}$.' };
}

function checkField(item: unknown, name: string): InvalidParam | undefined {
  return typeof item === 'string' && KNOWN_FIELDS.has(item.split('.')[0])
    ? undefined
    : { name, code: 'field', reason: 'Parameter bevat een niet bestaande veldnaam.' };
}
