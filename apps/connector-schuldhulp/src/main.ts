import { loggableError } from '@nazorg/privacy';
import { Logger } from '@nestjs/common';
import { bootstrapConnector } from '@nazorg/connectors';

bootstrapConnector('schuldhulp')
  .then(() => new Logger('Connector').log('schuldhulp connector consuming its recipient queues'))
  .catch((error: Error) => {
    new Logger('Connector').fatal(loggableError(error));
    process.exit(1);
  });
