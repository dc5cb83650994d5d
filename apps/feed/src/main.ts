import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@nazorg/config';
import { DpanAnswerRecorder } from '@nazorg/simulator';
import { parseFeedCommand } from './feed-options';
import { FeedModule } from './feed.module';
import { FeedRunner } from './feed.runner';

/**
 * The mocked INJUS/DPAN feed (see feed-options.ts for the command line):
 *   simulate [--rate 2] [--seed S] [--count N] [--sink kafka|rabbitmq|http]
 *   replay --file scenarios/demo.jsonl [--sink ...]
 */
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function main(): Promise<void> {
  const command = parseFeedCommand(process.argv.slice(2));
  const app = await NestFactory.createApplicationContext(FeedModule.forRoot(command), { bufferLogs: true });
  const level = app.get(AppConfig).LOG_LEVEL as LogLevel;
  app.useLogger(LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1));
  const runner = app.get(FeedRunner);
  // While it simulates DJI's notifications, the feed also plays DJI receiving the answers.
  const recorder = command.mode === 'simulate' ? app.get(DpanAnswerRecorder) : undefined;
  await recorder?.start();
  // The first signal lets the event in flight finish and closes the broker connections; a second
  // one does not wait.
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) process.exit(130);
    new Logger('Feed').log(`${signal}: stopping after the event in flight`);
    runner.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await runner.run(command);
  await recorder?.stop();
  await app.close();
}

main().catch((error: unknown) => {
  // Usage, configuration and connection errors name the problem, never an event's content.
  new Logger('Feed').fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
