import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { stableUuid } from '@nazorg/contracts';
import { FaultInjector } from './fault.injector';
import { behaviourOf } from './mock-behaviour';
import { InvalidParam, invalidParams, ProblemDetails } from './problem-details';
import { RecordingMockController } from './recording-mock.controller';
import { MOCK_SYSTEMS, RequestLog } from './request.log';

/** Which care partner picks up which care area (DOMAIN.md, Care). */
const PARTNER_BY_AREA: Record<string, string> = {
  addiction: 'Victas',
  ggz: 'GGZ Centraal',
  lvb: 'Sociaal Kernteam',
  somatic: 'Huisartsenpost',
  other: 'Leger des Heils',
};
const MOMENTS = ['screening', 'release'];

export interface MeldingAnswer {
  meldingId: string;
  partners: string[];
}

/**
 * Care partners (zorgpartners): take a notification (melding) about a detainee and say who will pick
 * it up: a partner per care area, probation when supervision continues, otherwise the municipal
 * social team. Identified by detention only: zorg may not see a BSN (CONTRACT section 4), so this
 * system has no use for one, and tests check through `__requests` that it never gets one.
 */
@Controller(MOCK_SYSTEMS.zorg)
export class ZorgMockController extends RecordingMockController {
  constructor(
    log: RequestLog,
    private readonly faults: FaultInjector,
  ) {
    super(log, 'zorg');
  }

  @Post('meldingen')
  @HttpCode(202)
  async melding(
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeldingAnswer | ProblemDetails> {
    this.record(req);
    const melding = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const problems: InvalidParam[] = [];
    if (typeof melding.detentionId !== 'string' || melding.detentionId === '') {
      problems.push({ name: 'detentionId', code: 'required', reason: 'Parameter is verplicht.' });
    }
    if (melding.moment !== undefined && !MOMENTS.includes(melding.moment as string)) {
      problems.push({
        name: 'moment',
        code: 'enum',
        reason: 'Waarde heeft geen geldige waarde uit de enumeratie.',
      });
    }
    const areas = melding.careAreas ?? [];
    if (!Array.isArray(areas) || areas.some((a) => typeof a !== 'string')) {
      problems.push({ name: 'careAreas', code: 'array', reason: 'Parameter is geen array van teksten.' });
    }
    if (problems.length) return invalidParams(res, problems);
    const detentionId = melding.detentionId as string;
    const fault = await this.faults.apply(behaviourOf(undefined, detentionId), res);
    if (fault) return fault;
    const partners = [...new Set((areas as string[]).map((a) => PARTNER_BY_AREA[a] ?? 'Leger des Heils'))];
    if (melding.supervision === true) partners.push('Reclassering Nederland');
    if (partners.length === 0) partners.push('Sociaal Kernteam');
    return { meldingId: stableUuid('zorg-melding', detentionId, String(melding.moment ?? '')), partners };
  }
}
