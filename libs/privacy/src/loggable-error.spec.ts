import { loggableError } from './loggable-error';

describe('loggableError', () => {
  const secret = 'DJI-2026-000123 999990019 Piet de Vries';

  it('keeps only the class, SQLSTATE and schema names of a database error', () => {
    const pg = Object.assign(new Error(`invalid input syntax for type uuid: "${secret}"`), {
      name: 'error',
      code: '22P02',
      severity: 'ERROR',
      table: 'inbound_event',
    });
    expect(loggableError(pg)).toBe('error (SQLSTATE 22P02, table inbound_event)');
    const typeorm = Object.assign(new Error(`refused ${secret}`), {
      name: 'QueryFailedError',
      query: 'insert into inbound_event ...',
      parameters: [secret],
      driverError: { code: 'P0001', constraint: 'uq_inbound_event_source_id' },
    });
    expect(loggableError(typeorm)).toBe(
      'QueryFailedError (SQLSTATE P0001, constraint uq_inbound_event_source_id)',
    );
    expect(loggableError(Object.assign(new Error(secret), { name: 'QueryFailedError' }))).toBe(
      'QueryFailedError (SQLSTATE unknown)',
    );
  });

  it('keeps only the class of a SyntaxError, which quotes the input it could not parse', () => {
    let parseError: unknown;
    try {
      JSON.parse(`{"name": ${secret}}`);
    } catch (error) {
      parseError = error;
    }
    expect(String((parseError as Error).message)).toContain('DJI');
    expect(loggableError(parseError)).toBe('SyntaxError');
  });

  it("keeps the hub's, brokers' and network errors as they are, and bounds their length", () => {
    expect(loggableError(new Error('unroutable: no queue bound for hub.deliveries/ops'))).toBe(
      'unroutable: no queue bound for hub.deliveries/ops',
    );
    const nodeError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(loggableError(nodeError)).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(loggableError(new Error('x'.repeat(1000))).length).toBeLessThan(320);
    expect(loggableError(new TypeError("Cannot read properties of undefined (reading 'bsn')"))).toBe(
      "TypeError: Cannot read properties of undefined (reading 'bsn')",
    );
    expect(loggableError('a string')).toBe('non-error thrown (string)');
  });
});
