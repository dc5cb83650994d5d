import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@nazorg/http';
import {
  Controller,
  Get,
  Logger,
  OnApplicationShutdown,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { Request, Response } from 'express';
import { TenantsFile } from '@nazorg/config';
import { loggableError } from '@nazorg/privacy';
import { ConsoleGuard, Session } from './console.guard';
import { ConsoleFlowsService } from './console-flows.service';
import { ConsoleLoginFilter } from './console-login.filter';
import { periodOf } from './console-period';
import { sendHtml } from './console-response';
import { recipientsOf, tenantScope } from './console-scope';
import { ConsoleSession } from './console-session.service';
import { flowsPayload, flowsView } from './views/flows.view';
import { page } from './views/layout.view';

/** How often the live stream sends a fresh snapshot. */
const LIVE_INTERVAL_MS = 2000;

type FlowsQuery = { tenant?: string; period?: string; from?: string; to?: string };

/** The flows view and its live stream (server-sent events). */
// Outside the API's Bearer guard: pages authenticate by the console's session cookie (ConsoleGuard).
@Public()
@ApiExcludeController() // pages, not API: the OpenAPI document lists the API only
@Controller('flows')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleLoginFilter)
export class ConsoleFlowsController implements OnApplicationShutdown {
  private readonly logger = new Logger('ConsoleFlows');
  private readonly streams = new Set<Response>();

  constructor(
    private readonly flows: ConsoleFlowsService,
    private readonly tenants: TenantsFile,
  ) {}

  @Get()
  async view(
    @Session() session: ConsoleSession,
    @Query() query: FlowsQuery,
    @Res() res: Response,
  ): Promise<void> {
    const scope = tenantScope(session.principal, query.tenant, this.tenants);
    const period = periodOf(query);
    const recipients = recipientsOf(scope, this.tenants);
    const snapshot = await this.flows.snapshot(scope, period);
    const params = new URLSearchParams({ period: period.key });
    if (scope && session.principal.role === 'operator') params.set('tenant', scope);
    if (period.key === 'custom') {
      params.set('from', period.from.toISOString());
      params.set('to', query.to ? period.to.toISOString() : '');
    }
    sendHtml(
      res,
      page(
        { title: 'Flows', active: '/flows', session, charts: true },
        flowsView({
          snapshot,
          recipients,
          tenants: session.principal.role === 'operator' ? this.tenants.tenants.map((t) => t.id) : null,
          tenant: scope,
          period,
          query: params.toString(),
          refusedCustom: query.period === 'custom' && period.key !== 'custom',
        }),
      ),
    );
  }

  /** A snapshot now and every LIVE_INTERVAL_MS, as `event: flows`, until the browser goes away. */
  @Get('stream')
  stream(
    @Session() session: ConsoleSession,
    @Query() query: FlowsQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): void {
    const scope = tenantScope(session.principal, query.tenant, this.tenants);
    const recipients = recipientsOf(scope, this.tenants);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.streams.add(res);
    let busy = false;
    const tick = async () => {
      if (busy) return; // a slow database must not pile up queries
      busy = true;
      try {
        // A rolling period ("last hour") moves with every snapshot; a custom one stays put.
        const snapshot = await this.flows.snapshot(scope, periodOf(query));
        if (!res.writableEnded)
          res.write(`event: flows\ndata: ${JSON.stringify(flowsPayload(snapshot, recipients))}\n\n`);
      } catch (error) {
        this.logger.warn(`flows snapshot failed: ${loggableError(error as Error)}`);
      } finally {
        busy = false;
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), LIVE_INTERVAL_MS);
    req.on('close', () => {
      clearInterval(timer);
      this.streams.delete(res);
    });
  }

  onApplicationShutdown(): void {
    for (const res of this.streams) res.end();
  }
}
