import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { FaultInjector } from './fault.injector';
import { behaviourOf } from './mock-behaviour';
import { BenefitKind, MockBenefit } from './mock-person';
import { MockPersonRegistry } from './mock-person.registry';
import { bodyFields, invalidParams, problem, ProblemDetails } from './problem-details';
import { RecordingMockController } from './recording-mock.controller';
import { MOCK_SYSTEMS, RequestLog } from './request.log';

/** Who pays each benefit: the municipality (Participatiewet, IOAW) or the UWV. */
const UITVOERDER: Record<BenefitKind, 'gemeente' | 'UWV'> = {
  participatiewet: 'gemeente',
  ioaw: 'gemeente',
  ww: 'UWV',
  wajong: 'UWV',
  wia: 'UWV',
};

export interface UitkeringenAnswer {
  uitkeringen: (MockBenefit & { uitvoerder: 'gemeente' | 'UWV' })[];
}

/**
 * A Suwinet-style income inquiry (`POST /suwinet/uitkeringen/raadplegen` `{ bsn }`): the benefits a
 * person currently has, or none. Asks for nothing but the BSN and refuses anything else sent along.
 */
@Controller(MOCK_SYSTEMS.suwinet)
export class SuwinetMockController extends RecordingMockController {
  constructor(
    log: RequestLog,
    private readonly persons: MockPersonRegistry,
    private readonly faults: FaultInjector,
  ) {
    super(log, 'suwinet');
  }

  @Post('uitkeringen/raadplegen')
  @HttpCode(200)
  async raadplegen(
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UitkeringenAnswer | ProblemDetails> {
    this.record(req);
    const request = bodyFields(body);
    const unexpected = Object.keys(request).filter((key) => key !== 'bsn');
    const bsn = request.bsn;
    if (typeof bsn !== 'string' || !/^[0-9]{9}$/.test(bsn) || unexpected.length) {
      return invalidParams(res, [
        ...(typeof bsn === 'string' && /^[0-9]{9}$/.test(bsn)
          ? []
          : [{ name: 'bsn', code: 'pattern', reason: 'Waarde voldoet niet aan patroon ^[0-9]{9}$.' }]),
        ...unexpected.map((name) => ({ name, code: 'unknownParam', reason: 'Parameter is niet verwacht.' })),
      ]);
    }
    const fault = await this.faults.apply(behaviourOf(bsn), res);
    if (fault) return fault;
    const person = this.persons.find(bsn);
    if (!person) return problem(res, 404, 'Persoon niet gevonden in Suwinet.');
    return { uitkeringen: person.benefits.map((b) => ({ ...b, uitvoerder: UITVOERDER[b.soort] })) };
  }
}
