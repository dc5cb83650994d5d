import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { stableUuid } from '@nazorg/contracts';
import { FaultInjector } from './fault.injector';
import { behaviourOf } from './mock-behaviour';
import { bodyFields, InvalidParam, invalidParams, problem, ProblemDetails } from './problem-details';
import { MOCK_SYSTEMS, RequestLog } from './request.log';

/** What the municipality does with a benefit for the length of a detention (Participatiewet art. 13). */
export const MAATREGELEN = ['opschorten', 'opschorten-voorlopig', 'beeindigen', 'geen-uitkering'] as const;
export type Maatregel = (typeof MAATREGELEN)[number];

export interface MaatregelAnswer {
  maatregelId: string;
  maatregel: Maatregel;
}

/** The measure on record for a detention. */
export interface MaatregelRecordAnswer extends MaatregelAnswer {
  ingangsdatum: string | null;
  uitkeringen: string[];
}

export interface HervattingAnswer {
  hervattingId: string;
  /**
   * `hervat`: a suspended benefit is paid again from the release date; `heraanvraag`: a stopped one
   * must be applied for again (an advance bridges the assessment); `geen-uitkering`: there was none.
   */
  hervatting: 'hervat' | 'heraanvraag' | 'geen-uitkering';
  uitkeringen: string[];
}

interface Record_ {
  maatregel: Maatregel;
  ingangsdatum: string | null;
  uitkeringen: string[];
}

/**
 * Mock of the municipality's benefits administration (uitkeringsadministratie, e.g. Suite4Sociaal
 * Domein), next to the Suwinet inquiry: it records the detention measure the income connector
 * decided, keyed by detention id, and resumes or re-applies at release by that id alone (release
 * events carry no BSN). Served under the Suwinet base URL so no extra setting is needed.
 */
@Controller(`${MOCK_SYSTEMS.suwinet}/uitkeringsadministratie`)
export class UitkeringsadministratieMockController {
  private readonly maatregelen = new Map<string, Record_>();

  constructor(
    private readonly log: RequestLog,
    private readonly faults: FaultInjector,
  ) {}

  @Post('detentiemaatregelen')
  @HttpCode(201)
  async maatregel(
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MaatregelAnswer | ProblemDetails> {
    this.record(req);
    const m = bodyFields(body);
    const problems: InvalidParam[] = [];
    if (typeof m.detentionId !== 'string' || m.detentionId === '') {
      problems.push({ name: 'detentionId', code: 'required', reason: 'Parameter is verplicht.' });
    }
    if (typeof m.bsn !== 'string' || !/^[0-9]{9}$/.test(m.bsn)) {
      problems.push({ name: 'bsn', code: 'pattern', reason: 'Waarde voldoet niet aan patroon ^[0-9]{9}$.' });
    }
    if (!MAATREGELEN.includes(m.maatregel as Maatregel)) {
      problems.push({
        name: 'maatregel',
        code: 'enum',
        reason: 'Waarde heeft geen geldige waarde uit de enumeratie.',
      });
    }
    const uitkeringen = m.uitkeringen ?? [];
    if (!Array.isArray(uitkeringen) || uitkeringen.some((u) => typeof u !== 'string')) {
      problems.push({ name: 'uitkeringen', code: 'array', reason: 'Parameter is geen array van teksten.' });
    }
    if (problems.length) return invalidParams(res, problems);
    const detentionId = m.detentionId as string;
    const fault = await this.faults.apply(behaviourOf(m.bsn as string, detentionId), res);
    if (fault) return fault;
    const maatregel = m.maatregel as Maatregel;
    // Keyed on the detention: a redelivery, or a later decision for the same detention, replaces it.
    const ingangsdatum = typeof m.ingangsdatum === 'string' ? m.ingangsdatum : null;
    this.maatregelen.set(detentionId, { maatregel, ingangsdatum, uitkeringen: uitkeringen as string[] });
    return { maatregelId: stableUuid('uitkering-maatregel', detentionId), maatregel };
  }

  /** The measure on record for a detention (by detention id: later events carry no BSN). */
  @Get('detentiemaatregelen/:detentionId')
  async opvragen(
    @Param('detentionId') detentionId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MaatregelRecordAnswer | ProblemDetails> {
    this.record(req);
    const record = await this.measureOf(detentionId, res);
    if (!('maatregel' in record)) return record;
    return { maatregelId: stableUuid('uitkering-maatregel', detentionId), ...record };
  }

  /** Changes the measure of a detention, e.g. a suspension that becomes a stop when the stay lengthens. */
  @Put('detentiemaatregelen/:detentionId')
  @HttpCode(200)
  async wijzigen(
    @Param('detentionId') detentionId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MaatregelAnswer | ProblemDetails> {
    this.record(req);
    const m = bodyFields(body);
    if (!MAATREGELEN.includes(m.maatregel as Maatregel)) {
      return invalidParams(res, [
        { name: 'maatregel', code: 'enum', reason: 'Waarde heeft geen geldige waarde uit de enumeratie.' },
      ]);
    }
    const record = await this.measureOf(detentionId, res);
    if (!('maatregel' in record)) return record;
    record.maatregel = m.maatregel as Maatregel;
    return { maatregelId: stableUuid('uitkering-maatregel', detentionId), maatregel: record.maatregel };
  }

  @Post('detentiemaatregelen/:detentionId/hervatting')
  @HttpCode(200)
  async hervatting(
    @Param('detentionId') detentionId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HervattingAnswer | ProblemDetails> {
    this.record(req);
    const record = await this.measureOf(detentionId, res);
    if (!('maatregel' in record)) return record;
    const hervatting =
      record.maatregel === 'geen-uitkering'
        ? 'geen-uitkering'
        : record.maatregel === 'beeindigen'
          ? 'heraanvraag'
          : 'hervat';
    return {
      hervattingId: stableUuid('uitkering-hervatting', detentionId),
      hervatting,
      uitkeringen: record.uitkeringen,
    };
  }

  /** The measure on record, or the answer instead of it: an injected fault, or 404. */
  private async measureOf(detentionId: string, res: Response): Promise<Record_ | ProblemDetails> {
    const behaviour = behaviourOf(undefined, detentionId);
    const fault = await this.faults.apply(behaviour, res);
    if (fault) return fault;
    const record = this.maatregelen.get(detentionId);
    if (behaviour === 'unknown' || !record) {
      return problem(res, 404, 'Geen detentiemaatregel voor deze detentie.');
    }
    return record;
  }

  private record(req: Request): void {
    this.log.record('suwinet', { method: req.method, path: req.originalUrl, body: req.body as unknown });
  }
}
