import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { stableUuid } from '@nazorg/contracts';
import { FaultInjector } from './fault.injector';
import { behaviourOf, MOCK_TRIGGERS, weighted } from './mock-behaviour';
import { bodyFields, InvalidParam, invalidParams, problem, ProblemDetails } from './problem-details';
import { RecordingMockController } from './recording-mock.controller';
import { MOCK_SYSTEMS, RequestLog } from './request.log';

const ESTIMATES = ['<1000', '1000-10000', '>10000', 'unknown'];

export type AanmeldingStatus = 'aangenomen' | 'afgewezen' | 'wachtlijst';

export interface AanmeldingAnswer {
  aanmeldingId: string;
  /** The intake's decision: taken on, declined, or on the waiting list (with the expected wait). */
  status: AanmeldingStatus;
  wachttijdWeken?: number;
  /** Why it was declined, as a code (never free text about the person). */
  redenAfwijzing?: 'geen-stabiel-inkomen' | 'buiten-werkgebied';
}

/**
 * Municipal debt help (schuldhulpverlening): takes a referral (aanmelding) of a detainee who has
 * debts and wants help. The referral is keyed on the detention, so sending it again (a redelivery)
 * answers the same aanmeldingId and decision instead of opening a second case. Most referrals are
 * taken on; some go on the waiting list, a few are declined (deterministic per detention id, or forced
 * by the suffixes -WACHTLIJST and -AFGEWEZEN). A detention id ending -UNKNOWN is a person the
 * municipality does not know (404).
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
    const referral = bodyFields(body);
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
    const behaviour = behaviourOf(referral.bsn as string | undefined, detentionId);
    const fault = await this.faults.apply(behaviour, res);
    if (fault) return fault;
    if (behaviour === 'unknown') return problem(res, 404, 'Persoon niet bekend bij de gemeente.');
    const aanmeldingId = stableUuid('schuldhulp-aanmelding', detentionId);
    const status = statusOf(detentionId);
    if (status === 'wachtlijst')
      return { aanmeldingId, status, wachttijdWeken: 4 + (detentionId.length % 9) };
    if (status === 'afgewezen') return { aanmeldingId, status, redenAfwijzing: 'geen-stabiel-inkomen' };
    return { aanmeldingId, status };
  }
}

function statusOf(detentionId: string): AanmeldingStatus {
  if (detentionId.endsWith(MOCK_TRIGGERS.declinedSuffix)) return 'afgewezen';
  if (detentionId.endsWith(MOCK_TRIGGERS.waitingListSuffix)) return 'wachtlijst';
  return weighted<AanmeldingStatus>(detentionId, 'schuldhulp-besluit', [
    ['aangenomen', 70],
    ['wachtlijst', 22],
    ['afgewezen', 8],
  ]);
}
