import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UnitOfWorkPort } from '../ports/unit-of-work.port';

/** The open transaction, and the channels to NOTIFY once when it commits. */
interface OpenTransaction {
  em: EntityManager;
  notify: Set<string>;
}

/**
 * The unit of work on TypeORM: the open transaction's EntityManager travels with the async context,
 * and the repositories of this library take it from here (`manager()`, `transaction()`). TypeORM
 * turns a transaction opened inside an open one into a savepoint.
 */
@Injectable()
export class TypeormUnitOfWork implements UnitOfWorkPort {
  private readonly open = new AsyncLocalStorage<OpenTransaction>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.transaction(() => work());
  }

  /** A transaction of its own, or a savepoint of the one the caller runs in. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const outer = this.open.getStore();
    if (outer)
      return outer.em.transaction((em) => this.open.run({ em, notify: outer.notify }, () => work(em)));
    return this.dataSource.manager.transaction(async (em) => {
      const notify = new Set<string>();
      const result = await this.open.run({ em, notify }, () => work(em));
      // Once per channel and transaction, however many rows it wrote (a Kafka batch: one NOTIFY,
      // not one per event; one a rolled-back savepoint asked for only wakes a listener in vain).
      // Also the last statement before COMMIT on purpose: PostgreSQL answers COMMIT of a
      // transaction that a failed statement aborted with a silent ROLLBACK, so a write that failed
      // outside its savepoint would undo the whole unit unseen; any statement fails in an aborted
      // transaction, so this one makes the unit fail instead.
      await em.query(`select pg_notify(c, '') from unnest($1::text[]) c`, [[...notify]]);
      return result;
    });
  }

  /** NOTIFYs `channel` when the open transaction commits (at once without one). */
  async notifyOnCommit(channel: string): Promise<void> {
    const open = this.open.getStore();
    if (open) open.notify.add(channel);
    else await this.dataSource.query(`select pg_notify($1, '')`, [channel]);
  }

  /** The open transaction's manager, or the pool's (each statement its own transaction). */
  manager(): EntityManager {
    return this.open.getStore()?.em ?? this.dataSource.manager;
  }
}
