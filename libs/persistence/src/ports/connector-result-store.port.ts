import { CloudEvent, ConnectorResultData } from '@nazorg/contracts';

export const CONNECTOR_RESULT_STORE = Symbol('CONNECTOR_RESULT_STORE');

export interface ConnectorResultStorePort {
  /**
   * Stores a result with its case, once per (source, id). Returns false for a duplicate. A result
   * about an erased detention (`pseudonym` is its keyed hash) is kept as an envelope stub only.
   */
  record(result: CloudEvent<ConnectorResultData>, pseudonym: string): Promise<boolean>;
}
