import { FeedUsageError, parseFeedCommand } from './feed-options';

describe('parseFeedCommand', () => {
  it('simulates into Kafka at 2 events/s with a random seed and no limit by default', () => {
    const command = parseFeedCommand([], {});
    expect(command).toMatchObject({ mode: 'simulate', sink: 'kafka', rate: 2 });
    expect(command.mode === 'simulate' && Number.isInteger(command.seed)).toBe(true);
    expect(command).not.toHaveProperty('count');
  });

  it('takes the flags', () => {
    expect(
      parseFeedCommand(
        ['simulate', '--rate', '0.5', '--seed', '42', '--count', '100', '--sink', 'rabbitmq'],
        {},
      ),
    ).toEqual({ mode: 'simulate', sink: 'rabbitmq', rate: 0.5, seed: 42, count: 100 });
    expect(
      parseFeedCommand(
        ['replay', '--file', 'scenarios/demo.jsonl', '--sink', 'http', '--hub-url', 'http://hub:3000'],
        {},
      ),
    ).toEqual({ mode: 'replay', sink: 'http', file: 'scenarios/demo.jsonl', hubUrl: 'http://hub:3000' });
  });

  it('reads FEED_RATE, FEED_SEED, FEED_SINK and FEED_HUB_URL; flags win', () => {
    const env = {
      FEED_RATE: '5',
      FEED_SEED: 'demo',
      FEED_SINK: 'http',
      FEED_HUB_URL: 'http://localhost:3999',
    };
    const fromEnv = parseFeedCommand(['simulate'], env);
    expect(fromEnv).toMatchObject({ rate: 5, sink: 'http', hubUrl: 'http://localhost:3999' });
    expect(parseFeedCommand(['simulate'], env)).toEqual(fromEnv);
    expect(parseFeedCommand(['simulate', '--sink', 'kafka', '--rate', '1'], env)).toMatchObject({
      sink: 'kafka',
      rate: 1,
    });
  });

  it('refuses what it cannot run, with the reason and the usage', () => {
    const refused =
      (argv: string[], env = {}) =>
      () =>
        parseFeedCommand(argv, env);
    expect(refused(['replay'])).toThrow(/replay needs --file[\s\S]*usage:/);
    expect(refused(['simulate', '--sink', 'ftp'])).toThrow('--sink must be one of kafka, rabbitmq, http');
    expect(refused(['simulate'], { FEED_SINK: 'ftp' })).toThrow(FeedUsageError);
    expect(refused(['simulate', '--rate', '0'])).toThrow('--rate must be a positive number');
    expect(refused(['simulate', '--count', '1.5'])).toThrow('--count must be a positive integer');
    expect(refused(['simulate', '--verbose'])).toThrow(FeedUsageError);
    expect(refused(['dance'])).toThrow('unknown command dance');
    expect(refused(['replay', '--file', 'x', '--count', '3'])).toThrow('--count and --seed are for simulate');
  });
});
