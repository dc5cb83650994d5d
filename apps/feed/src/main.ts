import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { FEED_SINK, FeedSink, readScenario, SimulationRunner } from '@nazorg/simulator';
import { FeedModule, FeedSinkName } from './feed.module';

/**
 * The mocked INJUS/DPAN feed.
 *   simulate [--rate 2] [--seed N] [--count N] [--sink kafka|rabbitmq|http]
 *   replay --file scenarios/demo.jsonl [--sink ...]
 */
async function main(): Promise<void> {
  const logger = new Logger('Feed');
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      rate: { type: 'string', default: process.env.FEED_RATE ?? '2' },
      seed: { type: 'string', default: process.env.FEED_SEED },
      count: { type: 'string' },
      sink: { type: 'string', default: process.env.FEED_SINK ?? 'kafka' },
      file: { type: 'string' },
    },
  });
  const mode = positionals[0] ?? 'simulate';
  const sinkName = values.sink as FeedSinkName;
  if (!['kafka', 'rabbitmq', 'http'].includes(sinkName))
    throw new Error('--sink must be kafka, rabbitmq or http');
  const app = await NestFactory.createApplicationContext(FeedModule.withSink(sinkName), {
    logger: ['fatal', 'error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  const sink = app.get<FeedSink>(FEED_SINK);

  if (mode === 'replay') {
    if (!values.file) throw new Error('replay needs --file');
    const events = readScenario(values.file);
    for (const event of events) await sink.send(event);
    logger.log(`replayed ${events.length} events from ${values.file} to ${sinkName}`);
  } else if (mode === 'simulate') {
    const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
    const runner = new SimulationRunner(sink, {
      rate: Number(values.rate),
      seed,
      count: values.count ? Number(values.count) : undefined,
    });
    process.once('SIGINT', () => runner.stop());
    process.once('SIGTERM', () => runner.stop());
    logger.log(`simulating ${values.rate} events/s to ${sinkName} (seed ${seed})`);
    const sent = await runner.run();
    logger.log(`sent ${sent} events: ${JSON.stringify(Object.fromEntries(runner.sentByType))}`);
  } else {
    throw new Error(`unknown mode ${mode}: use simulate or replay`);
  }
  await app.close();
}

main().catch((error: Error) => {
  new Logger('Feed').fatal(error.message);
  process.exit(1);
});
