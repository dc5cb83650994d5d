import { Module } from '@nestjs/common';
import { RoutingModule } from '@nazorg/routing';
import { AftercareMessages } from './case/aftercare-messages';
import { AftercarePolicy } from './case/aftercare.policy';
import { AftercareSchedulerService } from './case/aftercare-scheduler.service';
import { CaseProjectorService } from './case/case-projector.service';
import { CaseRefreshWorker } from './case/case-refresh.worker';

/**
 * Aftercare logic in the hub: the case per detention, tenant policy, the DPAN answer, the warm
 * handover and deadlines (ADR 0009).
 */
@Module({
  imports: [RoutingModule],
  providers: [
    { provide: AftercarePolicy, useValue: new AftercarePolicy() },
    AftercareMessages,
    CaseProjectorService,
    AftercareSchedulerService,
    CaseRefreshWorker,
  ],
  exports: [CaseProjectorService, AftercareSchedulerService, CaseRefreshWorker],
})
export class AftercareModule {}
