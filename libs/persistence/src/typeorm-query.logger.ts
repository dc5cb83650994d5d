import { Logger as NestLogger } from '@nestjs/common';
import { loggableError } from '@nazorg/privacy';
import { Logger } from 'typeorm';

const MAX_SQL = 160;

/**
 * TypeORM's own loggers print a failed query with its parameters (detention ids, dates, sealed
 * values) and the driver's message, which may quote a value. This one logs the SQL text, which
 * only ever holds placeholders, and `loggableError` of the failure; never the parameters.
 */
export class TypeormQueryLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // Every query at debug level would be noise; failures and slow queries are what matter.
  }

  logQueryError(error: string | Error, query: string): void {
    const cause = typeof error === 'string' ? 'query failed' : loggableError(error);
    this.logger.warn(`${cause}: ${sqlOf(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${sqlOf(query)}`);
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(): void {
    // Only reached for the levels `logging` enables, and it enables errors only.
  }
}

function sqlOf(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SQL ? `${flat.slice(0, MAX_SQL)}…` : flat;
}
