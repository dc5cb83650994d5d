import { Logger } from '@nestjs/common';
import { bootstrapOps } from './ops.bootstrap';

bootstrapOps()
  .then(async (app) => new Logger('Ops').log(`operations API on ${await app.getUrl()}`))
  .catch((error: Error) => {
    new Logger('Ops').fatal(error.message);
    process.exit(1);
  });
