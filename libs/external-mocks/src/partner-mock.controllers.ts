import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Post, Res } from '@nestjs/common';
import { Response } from 'express';
import { actOut, behaviourOf } from './mock-behaviour';
import { RequestLog } from './request-log';

interface Referral {
  detentionId?: string;
  bsn?: string;
  [key: string]: unknown;
}

/** Municipal debt help (schuldhulp): accepts a referral (aanmelding). */
@Controller('schuldhulp')
export class SchuldhulpMockController {
  constructor(private readonly log: RequestLog) {}

  @Post('aanmeldingen')
  async aanmelding(@Body() body: Referral, @Res() res: Response): Promise<void> {
    this.log.record('schuldhulp', body);
    if (typeof body.detentionId !== 'string') {
      res.status(400).json({ title: 'detentionId is required', status: 400 });
      return;
    }
    if (await actOut(behaviourOf(body.bsn, body.detentionId), res)) return;
    res.status(201).json({ aanmeldingId: randomUUID(), status: 'ontvangen' });
  }

  @Get('__requests')
  requests(): unknown[] {
    return this.log.of('schuldhulp');
  }

  @Delete('__requests')
  @HttpCode(204)
  clear(): void {
    this.log.clear('schuldhulp');
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
export class ZorgMockController {
  constructor(private readonly log: RequestLog) {}

  @Post('meldingen')
  async melding(
    @Body() body: Referral & { careAreas?: string[]; supervision?: boolean },
    @Res() res: Response,
  ) {
    this.log.record('zorg', body);
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

  @Get('__requests')
  requests(): unknown[] {
    return this.log.of('zorg');
  }

  @Delete('__requests')
  @HttpCode(204)
  clear(): void {
    this.log.clear('zorg');
  }
}
