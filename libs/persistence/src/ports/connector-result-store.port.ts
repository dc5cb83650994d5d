import { CloudEvent, ConnectorResultData } from '@nazorg/contracts';

export const CONNECTOR_RESULT_STORE = Symbol('CONNECTOR_RESULT_STORE');

export interface ConnectorResultStorePort {
  /** Stores a result with its case, once per (source, id). Returns false for a duplicate. */
  record(result: CloudEvent<ConnectorResultData>): Promise<boolean>;
}
