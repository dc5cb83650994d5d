import { CloudEvent, ConnectorResultData } from '@nazorg/contracts';

export const CONNECTOR_RESULT_STORE = Symbol('CONNECTOR_RESULT_STORE');

export interface ConnectorResultStorePort {
  /**
   * Stores a result with its case, once per (source, id). A result about an erased detention
   * (`erased.pseudonyms`: its keyed hash under the current key, then under each previous one; ADR
   * 0023) is kept as an envelope stub only, under the current key's, and under `erased.eventId`
   * (its keyed id, as erasure leaves its siblings: ADR 0024). A result must answer a
   * delivery the hub made to that recipient about that detention, whose tenant it takes; any other
   * is `unsolicited` and not stored (a result's own claims are not trusted: anyone who can
   * publish on the broker could otherwise write into another tenant's cases).
   */
  record(
    result: CloudEvent<ConnectorResultData>,
    erased: { pseudonyms: readonly string[]; eventId: string },
  ): Promise<'stored' | 'duplicate' | 'unsolicited'>;
}
