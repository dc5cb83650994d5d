import { Module } from '@nestjs/common';
import { BrpMockController } from './brp-mock.controller';
import { SchuldhulpMockController, ZorgMockController } from './partner-mock.controllers';
import { RequestLog } from './request-log';
import { SuwinetMockController } from './suwinet-mock.controller';

/** Realistic HTTP mocks of the external systems we do not own. */
@Module({
  controllers: [BrpMockController, SuwinetMockController, SchuldhulpMockController, ZorgMockController],
  providers: [RequestLog],
})
export class ExternalMocksModule {}
