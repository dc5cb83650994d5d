import { Body, Controller, Get, HttpCode, Put } from '@nestjs/common';
import { FaultInjector, ForcedFault } from './fault.injector';

const FAULTS: readonly ForcedFault[] = ['none', 'error', 'hang'];

/**
 * Switches a fault on every mocked system at run time, as a partner's outage would (the fault suite,
 * test/faults): `PUT /__faults { "fault": "error" | "hang" | "none" }`; `GET /__faults` says which.
 */
@Controller('__faults')
export class FaultControlController {
  constructor(private readonly faults: FaultInjector) {}

  @Get()
  current(): { fault: ForcedFault } {
    return { fault: this.faults.forced };
  }

  @Put()
  @HttpCode(200)
  force(@Body() body: { fault?: unknown }): { fault: ForcedFault } {
    const fault = FAULTS.find((f) => f === body?.fault);
    if (!fault) return { fault: this.faults.forced };
    this.faults.force(fault);
    return { fault };
  }
}
