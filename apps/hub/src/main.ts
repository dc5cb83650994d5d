import { loggableError } from '@nazorg/privacy';
import { Logger } from '@nestjs/common';
import { bootstrapHub } from './hub.bootstrap';

bootstrapHub()
  .then(async (app) => new Logger('Hub').log(`hub listening on ${await app.getUrl()}`))
  .catch((error: Error) => {
    // Configuration errors name the offending key; they never contain personal data.
    new Logger('Hub').fatal(loggableError(error));
    process.exit(1);
  });
