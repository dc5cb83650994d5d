import { loggableError } from '@nazorg/privacy';
import { Logger } from '@nestjs/common';
import { bootstrapHub } from './hub.bootstrap';

/** A graceful stop that hangs (a broker that does not answer) must not keep the process: ADR 0019. */
const STOP_DEADLINE_MS = 10_000;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    setTimeout(() => {
      new Logger('Hub').error(`graceful stop took over ${STOP_DEADLINE_MS} ms; exiting`);
      process.exit(1);
    }, STOP_DEADLINE_MS - 500).unref();
  });
}

bootstrapHub()
  .then(async (app) => new Logger('Hub').log(`hub listening on ${await app.getUrl()}`))
  .catch((error: Error) => {
    // Configuration errors name the offending key; they never contain personal data.
    new Logger('Hub').fatal(loggableError(error));
    process.exit(1);
  });
