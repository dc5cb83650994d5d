import { loggableError } from '@nazorg/privacy';
import { Logger } from '@nestjs/common';
import { bootstrapOps } from './ops.bootstrap';

bootstrapOps()
  .then(async (app) => new Logger('Ops').log(`operations console and API on ${await app.getUrl()}/`))
  .catch((error: Error) => {
    new Logger('Ops').fatal(loggableError(error));
    process.exit(1);
  });
