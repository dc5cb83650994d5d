import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ApiProblemResponses } from '@nazorg/http';
import { OpsPrincipal, Principal, Roles, TenantScopeService } from '@nazorg/operations';
import { ChannelHealthService } from './channel-health.service';
import { IncidentService } from './incident.service';
import { InstanceRegistry } from './instance-registry.service';

export class IncidentsQuery {
  @ApiPropertyOptional({ enum: ['active', 'all'], default: 'active' })
  @IsOptional()
  @IsIn(['active', 'all'], { message: 'must be active or all' })
  state?: 'active' | 'all';
}

/**
 * Channel health, incidents and instances for operators (everything) and coordinators (their
 * tenant's recipients and incidents). Shapes are fixed: the console renders them (docs/adr/0012).
 */
@ApiTags('monitoring')
@Controller('api/v1')
export class MonitoringController {
  constructor(
    private readonly tenants: TenantScopeService,
    private readonly channels: ChannelHealthService,
    private readonly incidents: IncidentService,
    private readonly instances: InstanceRegistry,
  ) {}

  @Get('channels')
  @Roles('operator', 'coordinator')
  @ApiOperation({ summary: 'Lag and stuck channels: Kafka partitions, hub queues, recipients' })
  @ApiOkResponse({ description: 'a snapshot of every channel the caller may see' })
  getChannels(@Principal() principal: OpsPrincipal) {
    return this.channels.snapshot(this.tenants.scope(principal, undefined));
  }

  @Get('incidents')
  @Roles('operator', 'coordinator')
  @ApiOperation({ summary: 'Alerts to humans: one incident per condition, until it clears' })
  @ApiOkResponse({ description: 'incidents, newest first' })
  @ApiProblemResponses([400, 'Invalid query (field-level violations)'])
  async getIncidents(@Principal() principal: OpsPrincipal, @Query() query: IncidentsQuery) {
    const scope = this.tenants.scope(principal, undefined);
    return { incidents: await this.incidents.list(query.state ?? 'active', scope) };
  }

  @Get('instances')
  @Roles('operator')
  @ApiOperation({ summary: 'Every running app instance: version, uptime, last heartbeat' })
  @ApiOkResponse({ description: 'the instances that sent a heartbeat recently' })
  async getInstances() {
    return { instances: await this.instances.list() };
  }
}
