import { Module } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ProblemValidationPipe } from '@nazorg/http';
import { OpsCredentialsService } from '../ops-credentials.service';
import { OpsAuthGuard } from './ops-auth.guard';
import { TenantScopeService } from './tenant-scope.service';

/**
 * The HTTP layer of the ops app: OpsAuthGuard and ProblemValidationPipe for every route of the
 * app (APP_GUARD, APP_PIPE: a controller of another lib mounted in apps/ops is guarded and
 * validated without wiring of its own), and TenantScopeService for coordinator scoping. The
 * problem+json filter is the app's (ProblemFilter, in its bootstrap). Imported by
 * OperationsModule; import it once more only in a test app without OperationsModule.
 */
@Module({
  providers: [
    OpsCredentialsService,
    TenantScopeService,
    { provide: APP_GUARD, useClass: OpsAuthGuard },
    { provide: APP_PIPE, useClass: ProblemValidationPipe },
  ],
  exports: [OpsCredentialsService, TenantScopeService],
})
export class OpsHttpModule {}
