import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { sendProblem } from '@nazorg/ingestion';
import { OpsCredentialsService, OpsPrincipal, principalOf } from '@nazorg/operations';
import { ChannelHealthService } from './channel-health.service';
import { IncidentService } from './incident.service';
import { InstanceRegistry } from './instance-registry.service';

/**
 * Channel health, incidents and instances for operators (everything) and coordinators (their
 * tenant's recipients and incidents). Shapes are fixed: the console renders them (docs/adr/0010).
 */
@Controller('api/v1')
export class MonitoringController {
  constructor(
    private readonly credentials: OpsCredentialsService,
    private readonly channels: ChannelHealthService,
    private readonly incidents: IncidentService,
    private readonly instances: InstanceRegistry,
  ) {}

  @Get('channels')
  async getChannels(@Req() req: Request, @Res() res: Response): Promise<void> {
    const principal = principalOf(this.credentials, req, res);
    if (!principal) return;
    res.json(await this.channels.snapshot(scopeOf(principal)));
  }

  @Get('incidents')
  async getIncidents(
    @Req() req: Request,
    @Res() res: Response,
    @Query('state') state = 'active',
  ): Promise<void> {
    const principal = principalOf(this.credentials, req, res);
    if (!principal) return;
    if (state !== 'active' && state !== 'all') {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:invalid-query',
        title: 'Invalid query',
        status: 400,
        violations: [{ path: 'state', message: 'must be active or all' }],
      });
    }
    res.json({ incidents: await this.incidents.list(state, scopeOf(principal)) });
  }

  @Get('instances')
  async getInstances(@Req() req: Request, @Res() res: Response): Promise<void> {
    const principal = principalOf(this.credentials, req, res);
    if (!principal) return;
    if (principal.role !== 'operator') {
      return sendProblem(res, {
        type: 'urn:nazorg-hub:problem:forbidden',
        title: 'Operators only',
        status: 403,
        detail: 'The running instances are the platform, not a tenant.',
      });
    }
    res.json({ instances: await this.instances.list() });
  }
}

function scopeOf(principal: OpsPrincipal): string | null {
  return principal.role === 'coordinator' ? principal.tenantId : null;
}
