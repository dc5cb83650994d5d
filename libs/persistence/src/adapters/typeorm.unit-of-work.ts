import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UnitOfWorkPort } from '../ports/unit-of-work.port';

/**
 * The unit of work on TypeORM: the open transaction's EntityManager travels with the async context,
 * and the repositories of this library take it from here (`manager()`, `transaction()`). TypeORM
 * turns a transaction opened inside an open one into a savepoint.
 */
@Injectable()
export class TypeormUnitOfWork implements UnitOfWorkPort {
  private readonly open = new AsyncLocalStorage<EntityManager>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    const outermost = !this.open.getStore();
    return this.transaction(async (em) => {
      const result = await work();
      // PostgreSQL answers COMMIT of a transaction a failed statement aborted with a silent
      // ROLLBACK: a write that failed outside its savepoint would undo the whole unit unseen.
      // Any statement fails in an aborted transaction, so this makes the unit fail instead.
      if (outermost) await em.query('select 1');
      return result;
    });
  }

  /** A transaction of its own, or a savepoint of the one the caller runs in. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.open.getStore() ?? this.dataSource.manager;
    return outer.transaction((em) => this.open.run(em, () => work(em)));
  }

  /** The open transaction's manager, or the pool's (each statement its own transaction). */
  manager(): EntityManager {
    return this.open.getStore() ?? this.dataSource.manager;
  }
}
