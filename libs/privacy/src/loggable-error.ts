/**
 * What of an error may go into a log line, an HTTP error or a retry reason (issue 5: no personal
 * data in logs or error messages). Database errors quote the values they failed on (`invalid
 * input syntax for type uuid: "…"`, a trigger's `raise`), and TypeORM's carry the query's
 * parameters; a SyntaxError from JSON.parse quotes the input. Of those only the class, the SQLSTATE
 * and schema names are kept. Other errors are the hub's own, the brokers' or the network's: their
 * messages name queues, addresses, keys and fields, never people.
 */
export function loggableError(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown (${typeof error})`;
  const database = databaseErrorOf(error);
  if (database) {
    const where = [
      database.constraint && `constraint ${database.constraint}`,
      database.table && `table ${database.table}`,
    ].filter(Boolean);
    return `${error.name} (SQLSTATE ${database.code}${where.length ? `, ${where.join(', ')}` : ''})`;
  }
  if (error instanceof SyntaxError) return error.name;
  const message =
    error.message.length > MAX_MESSAGE ? `${error.message.slice(0, MAX_MESSAGE)}…` : error.message;
  if (!message) return error.name;
  return error.name === 'Error' ? message : `${error.name}: ${message}`;
}

const MAX_MESSAGE = 300;
const SQLSTATE = /^[0-9A-Z]{5}$/;

interface DatabaseErrorFields {
  code: string;
  constraint?: string;
  table?: string;
}

/** pg's DatabaseError, or TypeORM's QueryFailedError around it (`driverError`). */
function databaseErrorOf(error: Error): DatabaseErrorFields | undefined {
  for (const candidate of [error, (error as { driverError?: unknown }).driverError]) {
    const fields = candidate as Partial<DatabaseErrorFields> & { severity?: unknown };
    if (
      fields &&
      typeof fields.code === 'string' &&
      SQLSTATE.test(fields.code) &&
      (fields.severity !== undefined || candidate !== error)
    ) {
      return { code: fields.code, constraint: fields.constraint, table: fields.table };
    }
  }
  if (error.name === 'QueryFailedError') return { code: 'unknown' };
  return undefined;
}
