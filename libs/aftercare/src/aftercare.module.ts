import { Global, Module } from '@nestjs/common';
import { DETENTION_CHANGE_LISTENER } from '@nazorg/ingestion';
import { RoutingModule } from '@nazorg/routing';
import { AftercareMessages } from './case/aftercare-messages';
import { AftercarePolicy } from './case/aftercare.policy';
import { AftercareSchedulerService } from './case/aftercare-scheduler.service';
import { CaseProjectorService } from './case/case-projector.service';

/**
 * Aftercare logic in the hub: the case per detention, tenant policy, the DPAN answer, the warm
 * handover and deadlines. Global so that ingestion finds its change listener.
 */
@Global()
@Module({
  imports: [RoutingModule],
  providers: [
    { provide: AftercarePolicy, useValue: new AftercarePolicy() },
    AftercareMessages,
    CaseProjectorService,
    AftercareSchedulerService,
    { provide: DETENTION_CHANGE_LISTENER, useExisting: CaseProjectorService },
  ],
  exports: [CaseProjectorService, AftercareSchedulerService, DETENTION_CHANGE_LISTENER],
})
export class AftercareModule {}
