import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { stableUuid } from '@nazorg/contracts';
import { FaultInjector } from './fault.injector';
import { behaviourOf } from './mock-behaviour';
import { InvalidParam, invalidParams, ProblemDetails } from './problem-details';
import { RecordingMockController } from './recording-mock.controller';
import { MOCK_SYSTEMS, RequestLog } from './request.log';

const ESTIMATES = ['<1000', '1000-10000', '>10000', 'unknown'];

export interface AanmeldingAnswer {
  aanmeldingId: string;
  status: 'ontvangen';
}

/**
 * Municipal debt help (schuldhulpverlening): takes a referral (aanmelding) of a detainee who has
 * debts and wants help. The referral is keyed on the detention, so sending it again (a redelivery)
 * answers the same aanmeldingId instead of opening a second case.
 */
@Controller(MOCK_SYSTEMS.schuldhulp)
export class SchuldhulpMockController extends RecordingMockController {
  constructor(
    log: RequestLog,
    private readonly faults: FaultInjector,
  ) {
    super(log, 'schuldhulp');
  }

  @Post('aanmeldingen')
  @HttpCode(201)
  async aanmelding(
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AanmeldingAnswer | ProblemDetails> {
    this.record(req);
    const referral = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const problems: InvalidParam[] = [];
    if (typeof referral.detentionId !== 'string' || referral.detentionId === '') {
      problems.push({ name: 'detentionId', code: 'required', reason: 'Parameter is verplicht.' });
    }
    if (
      referral.bsn !== undefined &&
      (typeof referral.bsn !== 'string' || !/^[0-9]{9}$/.test(referral.bsn))
    ) {
      problems.push({ name: 'bsn', code: 'pattern', reason: 'Waarde voldoet niet aan patroon ^[0-9]{9}$.' });
    }
    if (referral.estimatedTotal !== undefined && !ESTIMATES.includes(referral.estimatedTotal as string)) {
      problems.push({
        name: 'estimatedTotal',
        code: 'enum',
        reason: 'Waarde heeft geen geldige waarde uit de enumeratie.',
      });
    }
    if (problems.length) return invalidParams(res, problems);
    const detentionId = referral.detentionId as string;
    const fault = await this.faults.apply(behaviourOf(referral.bsn as string | undefined, detentionId), res);
    if (fault) return fault;
    return { aanmeldingId: stableUuid('schuldhulp-aanmelding', detentionId), status: 'ontvangen' };
  }
}
