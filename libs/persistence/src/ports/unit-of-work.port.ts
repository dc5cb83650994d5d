export const UNIT_OF_WORK = Symbol('UNIT_OF_WORK');

/**
 * One database transaction around a use case's steps. The repositories called inside `work` join
 * it (they find it themselves: no handle is passed around), so a use case writes several
 * repositories' rows atomically without knowing how they are stored. A `run` inside another is a
 * savepoint of the outer one: its failure undoes only its own writes (one poison record of a Kafka
 * batch does not undo the batch's good records). Work inside one unit runs one step at a time.
 */
export interface UnitOfWorkPort {
  run<T>(work: () => Promise<T>): Promise<T>;
}
