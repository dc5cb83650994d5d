import { Module } from '@nestjs/common';
import { DeliveryPlanner } from './delivery.planner';
import { TenantDirectory } from './tenant.directory';

@Module({ providers: [TenantDirectory, DeliveryPlanner], exports: [TenantDirectory, DeliveryPlanner] })
export class RoutingModule {}
