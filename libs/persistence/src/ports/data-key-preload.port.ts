export const DATA_KEY_PRELOAD = Symbol('DATA_KEY_PRELOAD');

/**
 * Finds, or adds where missing, the data keys of several detentions in one statement of the
 * caller's unit of work, so that sealing for them inside `work` looks nothing up (a Kafka batch:
 * one statement, not one per value). Called in the unit of work itself, not a savepoint of it: a
 * key added here must not be undone while values sealed with it stay.
 */
export interface DataKeyPreloadPort {
  withKeysOf<T>(detentionIds: readonly string[], work: () => Promise<T>): Promise<T>;
}
