import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';

/**
 * The operators' alert receiver (what a pager or chat webhook would be): `POST /alerts` records the
 * hub's incident notifications, `GET /alerts` lists them, `DELETE /alerts` forgets them.
 */
@Controller('alerts')
export class AlertsMockController {
  private readonly received: { receivedAt: string; body: unknown }[] = [];

  @Post()
  @HttpCode(204)
  receive(@Body() body: unknown): void {
    this.received.push({ receivedAt: new Date().toISOString(), body });
  }

  @Get()
  list(): { receivedAt: string; body: unknown }[] {
    return this.received;
  }

  @Delete()
  @HttpCode(204)
  clear(): void {
    this.received.length = 0;
  }
}
