import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { Public } from '@nazorg/http';
import { Request, Response } from 'express';
import { DeadLettersService, DeadLetterView, ReplayOutcome } from '@nazorg/operations';
import { ConsoleGuard, Session } from './console.guard';
import { ConsoleLoginFilter } from './console-login.filter';
import { sendHtml } from './console-response';
import { ConsoleSession } from './console-session.service';
import { groupDeadLetters } from './dead-letter-groups';
import { html, SafeHtml } from './html';
import { deadLetterDetail, failuresView, replayOutcomes } from './views/failures.view';
import { page } from './views/layout.view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The open dead letters one page groups; more than this is a bigger problem than a list shows. */
const LIST_LIMIT = 500;

/**
 * Dead letters grouped by cause, inspected one by one, replayed one, a selection or a group at a
 * time through the same replay use case as `POST /api/v1/dead-letters/:id/replay`. Operators
 * only, as in the API: a dead letter may belong to no tenant.
 */
// Outside the API's Bearer guard: pages authenticate by the console's session cookie (ConsoleGuard).
@Public()
@ApiExcludeController() // pages, not API: the OpenAPI document lists the API only
@Controller('failures')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleLoginFilter)
export class ConsoleFailuresController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  async view(@Session() session: ConsoleSession, @Res() res: Response): Promise<void> {
    if (this.refused(session, res)) return;
    const open = await this.deadLetters.list({ status: 'open', limit: LIST_LIMIT, offset: 0 });
    sendHtml(
      res,
      page(
        { title: 'Failures', active: '/failures', session },
        failuresView(groupDeadLetters(open), session.csrfToken),
      ),
    );
  }

  @Get(':id')
  async inspect(
    @Session() session: ConsoleSession,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (this.refused(session, res)) return;
    const found = UUID.test(id) ? await this.find(id) : undefined;
    const body = found ? deadLetterDetail(found) : html`<p class="error">No such dead letter.</p>`;
    this.answer(req, res, session, body, found ? 200 : 404);
  }

  /** Body: `id` (one or more, from the checkboxes or a row) or `group` (a cause's key). */
  @Post('replay')
  async replay(
    @Session() session: ConsoleSession,
    @Body() body: { id?: string | string[]; group?: string },
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (this.refused(session, res)) return;
    let ids = ([] as string[]).concat(body.id ?? []).filter((id) => typeof id === 'string');
    if (typeof body.group === 'string') {
      const open = await this.deadLetters.list({ status: 'open', limit: LIST_LIMIT, offset: 0 });
      ids = ids.concat(
        groupDeadLetters(open)
          .find((g) => g.key === body.group)
          ?.items.map((d) => d.id) ?? [],
      );
    }
    const outcomes: { id: string; result: ReplayOutcome }[] = [];
    // One after the other: a group may hold the same event twice, and the second is then a duplicate.
    for (const id of [...new Set(ids)]) {
      outcomes.push({
        id,
        result: UUID.test(id) ? await this.deadLetters.replay(id) : { outcome: 'not-found' },
      });
    }
    this.answer(req, res, session, replayOutcomes(outcomes), 200);
  }

  private async find(id: string): Promise<DeadLetterView | undefined> {
    for (let offset = 0; ; offset += LIST_LIMIT) {
      const batch = await this.deadLetters.list({ limit: LIST_LIMIT, offset });
      const hit = batch.find((d) => d.id === id);
      if (hit || batch.length < LIST_LIMIT) return hit;
    }
  }

  /** A fragment for htmx, a whole page for a plain request. */
  private answer(req: Request, res: Response, session: ConsoleSession, body: SafeHtml, status: number): void {
    sendHtml(
      res,
      req.headers['hx-request'] ? body : page({ title: 'Failures', active: '/failures', session }, body),
      status,
    );
  }

  private refused(session: ConsoleSession, res: Response): boolean {
    if (session.principal.role === 'operator') return false;
    sendHtml(
      res,
      page(
        { title: 'Failures', active: '/failures', session },
        html`<p class="notice">Dead letters may belong to no tenant; only operators see them.</p>`,
      ),
      403,
    );
    return true;
  }
}
