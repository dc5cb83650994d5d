import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { stableUuid } from '@nazorg/contracts';
import { FaultInjector } from './fault.injector';
import { behaviourOf, draw } from './mock-behaviour';
import { bodyFields, InvalidParam, invalidParams, problem, ProblemDetails } from './problem-details';
import { RecordingMockController } from './recording-mock.controller';
import { MOCK_SYSTEMS, RequestLog } from './request.log';

/** Which care partner picks up which care area (DOMAIN.md, Care). */
export const PARTNER_BY_AREA: Record<string, string> = {
  addiction: 'Victas',
  ggz: 'GGZ Centraal',
  lvb: 'Sociaal Kernteam',
  somatic: 'Huisartsenpost',
  other: 'Leger des Heils',
};
/** Specialist supported housing for people leaving prison without a home (DOMAIN.md, Exodus). */
export const HOUSING_PARTNER = 'Exodus';
/** The probation organisations a feed's `supervision.organisation` may name, by their display name. */
export const PROBATION_PARTNER: Record<string, string> = {
  'reclassering-nederland': 'Reclassering Nederland',
  'leger-des-heils': 'Leger des Heils Jeugdbescherming & Reclassering',
  svg: 'Verslavingsreclassering GGZ',
};
const DEFAULT_PROBATION = 'Reclassering Nederland';
const MOMENTS = ['screening', 'warm-handover', 'release'];

export interface Bevestiging {
  partner: string;
  /** `bevestigd`: the partner acknowledged and will pick it up; `in-afwachting`: not yet. */
  status: 'bevestigd' | 'in-afwachting';
}

export interface MeldingAnswer {
  meldingId: string;
  partners: string[];
  bevestigingen: Bevestiging[];
}

export interface ToezichtAnswer {
  trajectId: string;
}

/** What the care platform remembers of a detention (its traject), never who the person is. */
interface Traject {
  areas: Set<string>;
  specialistHousing: boolean;
  probation?: string;
}

/**
 * A regional care platform (zorgplatform) through which care partners take notifications (meldingen)
 * about a detainee. It keeps a traject per detention: the care areas of the screening melding and
 * the probation supervision registered at the start, so a warm handover before release or the
 * release melding reaches the right partners without the hub resending care data. Partners
 * acknowledge (deterministically per detention and partner). Identified by detention only: zorg may
 * not see a BSN (CONTRACT section 4), and tests check through `__requests` that it never gets one.
 */
@Controller(MOCK_SYSTEMS.zorg)
export class ZorgMockController extends RecordingMockController {
  private readonly trajecten = new Map<string, Traject>();

  constructor(
    log: RequestLog,
    private readonly faults: FaultInjector,
  ) {
    super(log, 'zorg');
  }

  @Post('trajecten/:detentionId/toezicht')
  @HttpCode(201)
  async toezicht(
    @Param('detentionId') detentionId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ToezichtAnswer | ProblemDetails> {
    this.record(req);
    const t = bodyFields(body);
    if (typeof t.organisatie !== 'string' || t.organisatie === '') {
      return invalidParams(res, [
        { name: 'organisatie', code: 'required', reason: 'Parameter is verplicht.' },
      ]);
    }
    const behaviour = behaviourOf(undefined, detentionId);
    const fault = await this.faults.apply(behaviour, res);
    if (fault) return fault;
    if (behaviour === 'unknown') return problem(res, 404, 'Detentie niet bekend bij het zorgplatform.');
    this.traject(detentionId).probation = PROBATION_PARTNER[t.organisatie] ?? DEFAULT_PROBATION;
    return { trajectId: stableUuid('zorg-traject', detentionId) };
  }

  @Post('meldingen')
  @HttpCode(202)
  async melding(
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeldingAnswer | ProblemDetails> {
    this.record(req);
    const melding = bodyFields(body);
    const problems: InvalidParam[] = [];
    if (typeof melding.detentionId !== 'string' || melding.detentionId === '') {
      problems.push({ name: 'detentionId', code: 'required', reason: 'Parameter is verplicht.' });
    }
    const moment = (melding.moment ?? 'screening') as string;
    if (!MOMENTS.includes(moment)) {
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
    const behaviour = behaviourOf(undefined, detentionId);
    const fault = await this.faults.apply(behaviour, res);
    if (fault) return fault;
    if (behaviour === 'unknown') return problem(res, 404, 'Detentie niet bekend bij het zorgplatform.');
    const known = this.trajecten.get(detentionId);
    // A warm handover refers to an existing traject: without one there is nobody to hand over to.
    if (moment === 'warm-handover' && !known) {
      return problem(res, 404, 'Geen traject voor deze detentie.');
    }
    const traject = this.traject(detentionId);
    for (const area of areas as string[]) traject.areas.add(area);
    if (melding.specialistHousing === true) traject.specialistHousing = true;
    const partners = [...new Set([...traject.areas].map((a) => PARTNER_BY_AREA[a] ?? 'Leger des Heils'))];
    if (traject.specialistHousing) partners.push(HOUSING_PARTNER);
    // Probation at handover and release when supervised; at release the feed says whether it continues.
    const supervised = moment === 'release' ? melding.supervision === true : traject.probation !== undefined;
    if (moment !== 'screening' && supervised) partners.push(traject.probation ?? DEFAULT_PROBATION);
    if (partners.length === 0) partners.push('Sociaal Kernteam');
    return {
      meldingId: stableUuid('zorg-melding', detentionId, moment),
      partners,
      bevestigingen: partners.map((partner) => ({
        partner,
        status:
          draw(`${detentionId}/${partner}`, 'zorg-bevestiging', 5) === 0 ? 'in-afwachting' : 'bevestigd',
      })),
    };
  }

  private traject(detentionId: string): Traject {
    let traject = this.trajecten.get(detentionId);
    if (!traject) {
      traject = { areas: new Set(), specialistHousing: false };
      this.trajecten.set(detentionId, traject);
    }
    return traject;
  }
}
