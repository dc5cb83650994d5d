import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { Response } from 'express';
import { actOut, behaviourOf, digest } from './mock-behaviour';
import { RecordingMockController, RequestLog } from './request-log';

const BENEFITS = ['participatiewet', 'ww', 'wajong', 'wia'];

/** A Suwinet-style income inquiry: which benefits (uitkeringen) a person currently has. */
@Controller('suwinet')
export class SuwinetMockController extends RecordingMockController {
  constructor(log: RequestLog) {
    super(log, 'suwinet');
  }

  @Post('uitkeringen/raadplegen')
  @HttpCode(200)
  async raadplegen(@Body() body: { bsn?: string }, @Res() res: Response): Promise<void> {
    this.record(body);
    if (typeof body.bsn !== 'string') {
      res.status(400).json({ title: 'bsn is required', status: 400 });
      return;
    }
    const behaviour = behaviourOf(body.bsn);
    if (await actOut(behaviour, res)) return;
    if (behaviour === 'unknown') {
      res.status(404).json({ title: 'Persoon onbekend bij Suwinet', status: 404 });
      return;
    }
    const d = digest(body.bsn);
    // Roughly half of the people entering detention had a benefit (DOMAIN.md: income often missing).
    const uitkeringen =
      d % 2 === 0
        ? [{ soort: BENEFITS[(d >> 3) % BENEFITS.length], ingangsdatum: '2024-01-01', status: 'lopend' }]
        : [];
    res.json({ uitkeringen });
  }
}
