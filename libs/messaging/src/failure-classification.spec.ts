import { classifyFailure, InfrastructureFailure, isInfrastructureFailure } from './failure-classification';

/** What is retried without limit (the infrastructure) and what is counted (the input). */
describe('classifyFailure', () => {
  const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });
  const queryFailed = (driverError: unknown) =>
    Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError });

  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset socket', withCode('ECONNRESET')],
    ['a DNS failure', withCode('EAI_AGAIN')],
    ['the server shutting down (57P01)', queryFailed(withCode('57P01', 'terminating connection'))],
    ['a connection exception class 08', queryFailed(withCode('08006'))],
    ['too many connections (53300)', withCode('53300')],
    ['a deadlock (40P01)', queryFailed(withCode('40P01'))],
    ['a serialization failure (40001)', withCode('40001')],
    ['pg losing its connection', new Error('Connection terminated unexpectedly')],
    ['the pool timing out', new Error('timeout exceeded when trying to connect')],
    [
      'an amqplib channel gone',
      Object.assign(new Error('Channel closed'), { name: 'IllegalOperationError' }),
    ],
    ['a kafkajs connection error', Object.assign(new Error('x'), { name: 'KafkaJSConnectionError' })],
    ['an AggregateError of refused addresses', new AggregateError([withCode('ECONNREFUSED')], 'connect')],
    ['a cause chain', new Error('outer', { cause: withCode('ETIMEDOUT') })],
    ['an explicit InfrastructureFailure', new InfrastructureFailure('pool exhausted')],
  ])('infrastructure: %s', (_what, error) => {
    expect(classifyFailure(error)).toBe('infrastructure');
    expect(isInfrastructureFailure(error)).toBe(true);
  });

  it.each([
    ['a TypeError from walking the input', new TypeError("Cannot read properties of null (reading 'x')")],
    ['a stack overflow', new RangeError('Maximum call stack size exceeded')],
    ['a NUL byte PostgreSQL refuses (22021)', queryFailed(withCode('22021', 'invalid byte sequence'))],
    ['an unsupported Unicode escape in jsonb (22P05)', queryFailed(withCode('22P05'))],
    ['a trigger raising (P0001)', queryFailed(withCode('P0001', 'refused'))],
    ['a unique violation (23505)', queryFailed(withCode('23505'))],
    // A statement's own SQLSTATE wins over wording in its message (which may quote the data).
    ['a data error whose text mentions a connection', withCode('22P02', 'Connection terminated')],
    ['a string thrown', 'boom'],
    ['undefined', undefined],
  ])('content: %s', (_what, error) => {
    expect(classifyFailure(error)).toBe('content');
  });

  it('survives a cyclic cause chain', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(classifyFailure(a)).toBe('content');
  });
});
