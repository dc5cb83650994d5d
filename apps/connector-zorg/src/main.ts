import { Logger } from '@nestjs/common';
import { bootstrapConnector } from '@nazorg/connectors';

bootstrapConnector('zorg')
  .then(() => new Logger('Connector').log('zorg connector consuming its recipient queues'))
  .catch((error: Error) => {
    new Logger('Connector').fatal(error.message);
    process.exit(1);
  });
