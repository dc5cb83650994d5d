import { parseArgs } from 'node:util';
import { randomSeed, toSeed } from '@nazorg/simulator';

export const FEED_SINK_NAMES = ['kafka', 'rabbitmq', 'http'] as const;
export type FeedSinkName = (typeof FEED_SINK_NAMES)[number];

interface CommonOptions {
  sink: FeedSinkName;
  /** Base URL of the hub, for the http sink (default `http://localhost:<HUB_HTTP_PORT>`). */
  hubUrl?: string;
}

export interface SimulateCommand extends CommonOptions {
  mode: 'simulate';
  rate: number;
  seed: number;
  count?: number;
}

export interface ReplayCommand extends CommonOptions {
  mode: 'replay';
  file: string;
  /** Absent: as fast as the sink accepts them. */
  rate?: number;
}

export type FeedCommand = SimulateCommand | ReplayCommand;

export const FEED_USAGE = `usage:
  feed simulate [--rate N] [--seed S] [--count N] [--sink kafka|rabbitmq|http] [--hub-url URL]
  feed replay --file path [--rate N] [--sink kafka|rabbitmq|http] [--hub-url URL]
environment: FEED_RATE, FEED_SEED, FEED_SINK, FEED_HUB_URL (flags win)`;

/** A command line that cannot run; its message says why, followed by the usage. */
export class FeedUsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n${FEED_USAGE}`);
    this.name = FeedUsageError.name;
  }
}

/**
 * The feed's command line, with defaults from the environment: sink kafka, 2 events/s, a random
 * seed (logged, so a run can be repeated) and no limit on the number of events.
 */
export function parseFeedCommand(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): FeedCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new FeedUsageError(error instanceof Error ? error.message : 'invalid arguments');
  }
  const { positionals, values } = parsed;
  const mode = positionals[0] ?? 'simulate';
  if (positionals.length > 1) throw new FeedUsageError(`unexpected argument ${positionals[1]}`);

  const sink = values.sink ?? env.FEED_SINK ?? 'kafka';
  if (!(FEED_SINK_NAMES as readonly string[]).includes(sink)) {
    throw new FeedUsageError(`--sink must be one of ${FEED_SINK_NAMES.join(', ')}`);
  }
  const hubUrl = values['hub-url'] ?? env.FEED_HUB_URL;
  if (hubUrl !== undefined && !/^https?:\/\/\S+$/.test(hubUrl)) {
    throw new FeedUsageError('--hub-url must be an http(s) URL');
  }
  const common = { sink: sink as FeedSinkName, ...(hubUrl ? { hubUrl } : {}) };
  const rateText = values.rate ?? env.FEED_RATE;
  const rate = rateText === undefined ? undefined : positive('--rate', rateText, false);

  if (mode === 'simulate') {
    if (values.file !== undefined) throw new FeedUsageError('--file is for replay');
    const seedText = values.seed ?? env.FEED_SEED;
    return {
      mode,
      ...common,
      rate: rate ?? 2,
      seed: seedText === undefined || seedText.trim() === '' ? randomSeed() : toSeed(seedText),
      ...(values.count !== undefined ? { count: positive('--count', values.count, true) } : {}),
    };
  }
  if (mode === 'replay') {
    if (!values.file) throw new FeedUsageError('replay needs --file');
    if (values.count !== undefined || values.seed !== undefined) {
      throw new FeedUsageError('--count and --seed are for simulate');
    }
    return { mode, ...common, file: values.file, ...(rate !== undefined ? { rate } : {}) };
  }
  throw new FeedUsageError(`unknown command ${mode}`);
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      rate: { type: 'string' },
      seed: { type: 'string' },
      count: { type: 'string' },
      sink: { type: 'string' },
      file: { type: 'string' },
      'hub-url': { type: 'string' },
    },
  });
}

function positive(flag: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new FeedUsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}
