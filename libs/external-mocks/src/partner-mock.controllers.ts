import { randomUUID } from 'node:crypto';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { Response } from 'express';
import { actOut, behaviourOf } from './mock-behaviour';
import { RecordingMockController, RequestLog } from './request-log';

interface Referral {
  detentionId?: string;
  bsn?: string;
  [key: string]: unknown;
}

/** Municipal debt help (schuldhulp): accepts a referral (aanmelding). */
@Controller('schuldhulp')
export class SchuldhulpMockController extends RecordingMockController {
  constructor(log: RequestLog) {
    super(log, 'schuldhulp');
  }

  @Post('aanmeldingen')
  async aanmelding(@Body() body: Referral, @Res() res: Response): Promise<void> {
    this.record(body);
    if (typeof body.detentionId !== 'string') {
      res.status(400).json({ title: 'detentionId is required', status: 400 });
      return;
    }
    if (await actOut(behaviourOf(body.bsn, body.detentionId), res)) return;
    res.status(201).json({ aanmeldingId: randomUUID(), status: 'ontvangen' });
  }
}

const PARTNERS_BY_AREA: Record<string, string> = {
  addiction: 'Victas',
  ggz: 'GGZ Centraal',
  lvb: 'Sociaal Kernteam',
  somatic: 'Huisartsenpost',
  other: 'Leger des Heils',
};

/** Care partners (zorgpartners): accept a notification (melding) and say who will pick it up. */
@Controller('zorg')
export class ZorgMockController extends RecordingMockController {
  constructor(log: RequestLog) {
    super(log, 'zorg');
  }

  @Post('meldingen')
  async melding(
    @Body() body: Referral & { careAreas?: string[]; supervision?: boolean },
    @Res() res: Response,
  ) {
    this.record(body);
    if (typeof body.detentionId !== 'string') {
      res.status(400).json({ title: 'detentionId is required', status: 400 });
      return;
    }
    if (await actOut(behaviourOf(undefined, body.detentionId), res)) return;
    const partners = [
      ...new Set((body.careAreas ?? []).map((a) => PARTNERS_BY_AREA[a] ?? 'Leger des Heils')),
    ];
    if (body.supervision) partners.push('Reclassering Nederland');
    if (partners.length === 0) partners.push('Sociaal Kernteam');
    res.status(202).json({ meldingId: randomUUID(), partners });
  }
}
