import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { stableUuid } from '@nazorg/contracts';
import { FaultInjector } from './fault.injector';
import { behaviourOf } from './mock-behaviour';
import { MockPersonRegistry } from './mock-person.registry';
import { bodyFields, InvalidParam, invalidParams, problem, ProblemDetails } from './problem-details';
import { MOCK_SYSTEMS, RequestLog } from './request.log';

export interface SignaleringAnswer {
  signaleringId: string;
  /** Burgerzaken starts an address investigation when deregistration threatens. */
  adresonderzoek: boolean;
}

/** The signalering on record for a detention (by detention id: later events carry no BSN). */
export interface SignaleringRecordAnswer {
  signaleringId: string;
  /** Start of the detention (YYYY-MM-DD), from which the absence counts. */
  ingangsdatum: string | null;
  verwachteAfwezigheidDagen: number | null;
  risicoUitschrijving: boolean | null;
  adresonderzoek: boolean;
}

interface Signalering {
  bsn: string;
  ingangsdatum: string | null;
  verwachteAfwezigheidDagen: number | null;
  risicoUitschrijving: boolean | null;
  adresonderzoek: boolean;
}

export type OntslagUitkomst =
  /** Registered at the address they go to: nothing to do. */
  | 'ingeschreven-op-adres'
  /** Goes to another address than the registered one: a change of address must be declared. */
  | 'verhuisaangifte-nodig'
  /** No address after release: a postal address (briefadres) was requested. */
  | 'briefadres-aangevraagd';

export interface OntslagAnswer {
  uitkomst: OntslagUitkomst;
  briefadresAanvraagId?: string;
}

/**
 * Mock of the municipality's burgerzaken back office next to the BRP (not part of Haal Centraal,
 * which only answers queries): the BRP connector reports a detention (BSN, expected absence and the
 * deregistration risk) keyed by detention id, and at release, when the feed no longer names the
 * person, asks by that detention id whether the person is registered at the address after release
 * or needs a postal address (briefadres). When the expected release moves, the connector reads the
 * signalering (with the start date) and updates the expected absence and risk; a new risk starts an
 * address investigation. Served under the BRP base URL so no extra setting is needed.
 */
@Controller(MOCK_SYSTEMS.brp)
export class BurgerzakenMockController {
  /** detention id → the signalering, as the back office's case register remembers it. */
  private readonly signaleringen = new Map<string, Signalering>();

  constructor(
    private readonly log: RequestLog,
    private readonly persons: MockPersonRegistry,
    private readonly faults: FaultInjector,
  ) {}

  @Post('detentiesignaleringen')
  @HttpCode(201)
  async signalering(
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignaleringAnswer | ProblemDetails> {
    this.record(req);
    const s = bodyFields(body);
    const problems: InvalidParam[] = [];
    if (typeof s.detentionId !== 'string' || s.detentionId === '') {
      problems.push({ name: 'detentionId', code: 'required', reason: 'Parameter is verplicht.' });
    }
    if (typeof s.burgerservicenummer !== 'string' || !/^[0-9]{9}$/.test(s.burgerservicenummer)) {
      problems.push({
        name: 'burgerservicenummer',
        code: 'pattern',
        reason: 'Waarde voldoet niet aan patroon ^[0-9]{9}$.',
      });
    }
    if (problems.length) return invalidParams(res, problems);
    const detentionId = s.detentionId as string;
    const bsn = s.burgerservicenummer as string;
    const fault = await this.faults.apply(behaviourOf(bsn, detentionId), res);
    if (fault) return fault;
    if (behaviourOf(bsn, detentionId) === 'unknown' || !this.persons.find(bsn)) {
      return problem(res, 404, 'Persoon niet gevonden in de BRP.');
    }
    const ingangsdatum =
      typeof s.ingangsdatum === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.ingangsdatum)
        ? s.ingangsdatum
        : null;
    this.signaleringen.set(detentionId, {
      bsn,
      ingangsdatum,
      verwachteAfwezigheidDagen:
        typeof s.verwachteAfwezigheidDagen === 'number' ? s.verwachteAfwezigheidDagen : null,
      risicoUitschrijving: typeof s.risicoUitschrijving === 'boolean' ? s.risicoUitschrijving : null,
      adresonderzoek: s.risicoUitschrijving === true,
    });
    return {
      signaleringId: stableUuid('burgerzaken-signalering', detentionId),
      adresonderzoek: s.risicoUitschrijving === true,
    };
  }

  @Get('detentiesignaleringen/:detentionId')
  async opvragen(
    @Param('detentionId') detentionId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignaleringRecordAnswer | ProblemDetails> {
    this.record(req);
    const found = await this.signaleringOf(detentionId, res);
    if (!('bsn' in found)) return found;
    const { bsn: _bsn, ...record } = found;
    return { signaleringId: stableUuid('burgerzaken-signalering', detentionId), ...record };
  }

  /** The expected absence changed: the risk on record follows; a new risk starts an address investigation. */
  @Put('detentiesignaleringen/:detentionId')
  @HttpCode(200)
  async wijzigen(
    @Param('detentionId') detentionId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SignaleringAnswer | ProblemDetails> {
    this.record(req);
    const s = bodyFields(body);
    if (typeof s.risicoUitschrijving !== 'boolean') {
      return invalidParams(res, [
        { name: 'risicoUitschrijving', code: 'boolean', reason: 'Waarde is geen boolean.' },
      ]);
    }
    const found = await this.signaleringOf(detentionId, res);
    if (!('bsn' in found)) return found;
    found.verwachteAfwezigheidDagen =
      typeof s.verwachteAfwezigheidDagen === 'number' ? s.verwachteAfwezigheidDagen : null;
    found.risicoUitschrijving = s.risicoUitschrijving;
    found.adresonderzoek = found.adresonderzoek || s.risicoUitschrijving;
    return {
      signaleringId: stableUuid('burgerzaken-signalering', detentionId),
      adresonderzoek: found.adresonderzoek,
    };
  }

  private async signaleringOf(detentionId: string, res: Response): Promise<Signalering | ProblemDetails> {
    const fault = await this.faults.apply(behaviourOf(undefined, detentionId), res);
    if (fault) return fault;
    const found = this.signaleringen.get(detentionId);
    if (behaviourOf(undefined, detentionId) === 'unknown' || !found) {
      return problem(res, 404, 'Geen detentiesignalering voor deze detentie.');
    }
    return found;
  }

  @Post('detentiesignaleringen/:detentionId/ontslag')
  @HttpCode(200)
  async ontslag(
    @Param('detentionId') detentionId: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OntslagAnswer | ProblemDetails> {
    this.record(req);
    const o = bodyFields(body);
    const adres = o.adresNaOntslag as { postcode?: unknown; huisnummer?: unknown } | null | undefined;
    if (
      adres !== null &&
      adres !== undefined &&
      (typeof adres.postcode !== 'string' || !/^[1-9][0-9]{3}[A-Z]{2}$/.test(adres.postcode))
    ) {
      return invalidParams(res, [
        {
          name: 'adresNaOntslag.postcode',
          code: 'pattern',
          reason: 'Waarde voldoet niet aan patroon ^[1-9][0-9]{3}[A-Z]{2}$.',
        },
      ]);
    }
    const fault = await this.faults.apply(behaviourOf(undefined, detentionId), res);
    if (fault) return fault;
    const bsn = this.signaleringen.get(detentionId)?.bsn;
    const person = bsn ? this.persons.find(bsn) : undefined;
    if (behaviourOf(undefined, detentionId) === 'unknown' || !person) {
      return problem(res, 404, 'Geen detentiesignalering voor deze detentie.');
    }
    if (!adres) {
      return {
        uitkomst: 'briefadres-aangevraagd',
        briefadresAanvraagId: stableUuid('burgerzaken-briefadres', detentionId),
      };
    }
    const registered = person.residence.kind === 'address' ? person.residence.address : undefined;
    const same =
      registered !== undefined &&
      registered.postalCode === adres.postcode &&
      String(registered.houseNumber) === String(adres.huisnummer);
    return { uitkomst: same ? 'ingeschreven-op-adres' : 'verhuisaangifte-nodig' };
  }

  private record(req: Request): void {
    this.log.record('brp', { method: req.method, path: req.originalUrl, body: req.body as unknown });
  }
}
