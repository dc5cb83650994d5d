import { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { AppConfig } from '@nazorg/config';
import { ProblemFilter, serveOpenApi } from '@nazorg/http';
import { OPS_OPENAPI } from '@nazorg/operations';
import { OpsModule } from './ops.module';

export async function bootstrapOps(
  options: { port?: number; env?: Record<string, string | undefined> } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(OpsModule.forRoot({ env: options.env }), {
    logger: ['fatal', 'error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  // The one exception filter: every non-2xx answer is problem+json.
  app.useGlobalFilters(new ProblemFilter(app.get(HttpAdapterHost).httpAdapter));
  serveOpenApi(app, OPS_OPENAPI);
  await app.init();
  const config = app.get(AppConfig);
  await app.listen(options.port ?? config.OPS_HTTP_PORT, config.LISTEN_ADDRESS);
  return app;
}
