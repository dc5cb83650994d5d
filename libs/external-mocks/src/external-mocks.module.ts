import { DynamicModule, Module } from '@nestjs/common';
import { AlertsMockController } from './alerts-mock.controller';
import { BrpMockController } from './brp-mock.controller';
import { BurgerzakenMockController } from './burgerzaken-mock.controller';
import { EXTERNAL_MOCKS_OPTIONS, ExternalMocksOptions, externalMocksOptions } from './external-mocks.options';
import { FaultInjector } from './fault.injector';
import { FaultControlController } from './fault-control.controller';
import { MockPersonRegistry } from './mock-person.registry';
import { RequestLog } from './request.log';
import { SchuldhulpMockController } from './schuldhulp-mock.controller';
import { SuwinetMockController } from './suwinet-mock.controller';
import { UitkeringsadministratieMockController } from './uitkeringsadministratie-mock.controller';
import { ZorgMockController } from './zorg-mock.controller';
import { ObservabilityModule } from '@nazorg/observability';

/**
 * Realistic HTTP mocks of the external systems the hub does not own (BRP, Suwinet, schuldhulp, zorg),
 * one controller per system. Imported bare it takes its options from the environment (MOCK_SLOW_MS);
 * `forRoot` sets them in code.
 */
@Module({
  // /metrics (process metrics); no AppConfig here, so no traces: the mocks play systems we do not own.
  imports: [ObservabilityModule.forRoot({ app: 'external-mocks', configured: false })],
  controllers: [
    BrpMockController,
    BurgerzakenMockController,
    SuwinetMockController,
    UitkeringsadministratieMockController,
    SchuldhulpMockController,
    ZorgMockController,
    AlertsMockController,
    FaultControlController,
  ],
  providers: [
    RequestLog,
    FaultInjector,
    MockPersonRegistry,
    { provide: EXTERNAL_MOCKS_OPTIONS, useFactory: () => externalMocksOptions() },
  ],
  exports: [RequestLog, MockPersonRegistry],
})
export class ExternalMocksModule {
  static forRoot(options: Partial<ExternalMocksOptions> = {}): DynamicModule {
    return {
      module: ExternalMocksModule,
      // Nest adds these to the decorator's providers; a later provider of the same token wins.
      providers: [{ provide: EXTERNAL_MOCKS_OPTIONS, useFactory: () => externalMocksOptions(options) }],
    };
  }
}
