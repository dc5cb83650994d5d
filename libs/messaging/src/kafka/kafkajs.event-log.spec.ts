import { fixKafkajsIdleRequestQueue } from './kafkajs.event-log';

// kafkajs' internal request queue, the one the adapter fixes (ADR 0027).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  scheduleCheckPendingRequests(): void;
  checkPendingRequests(): void;
  destroy(): void;
};

const queue = () =>
  new RequestQueue({
    maxInFlightRequests: null,
    requestTimeout: 30000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger: { debug: () => undefined, warn: () => undefined },
  });

describe('kafkajs idle request queue fix', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is applied when the adapter is loaded', () => {
    expect(fixKafkajsIdleRequestQueue()).toBe(true);
  });

  it('arms no timer while nothing waits (kafkajs 2.2.4 re-armed a 1 ms one forever)', () => {
    const q = queue();
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('still checks waiting requests: at the end of a throttle, else after 10 ms', () => {
    const q = queue();
    const check = jest.spyOn(q, 'checkPendingRequests').mockImplementation(() => undefined);
    q.pending.push({});
    q.throttledUntil = Date.now() + 500;
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(499);
    expect(check).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(check).toHaveBeenCalledTimes(1);

    q.throttledUntil = -1;
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(10);
    expect(check).toHaveBeenCalledTimes(2);
    q.destroy();
  });
});
