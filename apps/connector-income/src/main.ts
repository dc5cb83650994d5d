import { Logger } from '@nestjs/common';
import { bootstrapConnector } from '@nazorg/connectors';

bootstrapConnector('income')
  .then(() => new Logger('Connector').log('income connector consuming its recipient queues'))
  .catch((error: Error) => {
    new Logger('Connector').fatal(error.message);
    process.exit(1);
  });
