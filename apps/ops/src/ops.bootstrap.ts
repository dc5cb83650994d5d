import { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { AppConfig } from '@nazorg/config';
import { UnexpectedErrorFilter } from '@nazorg/messaging';
import { OpsModule } from './ops.module';

export async function bootstrapOps(
  options: { port?: number; env?: Record<string, string | undefined> } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(OpsModule.forRoot({ env: options.env }), {
    logger: ['fatal', 'error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  app.useGlobalFilters(new UnexpectedErrorFilter(app.get(HttpAdapterHost).httpAdapter));
  await app.init();
  await app.listen(options.port ?? app.get(AppConfig).OPS_HTTP_PORT, '127.0.0.1');
  return app;
}
