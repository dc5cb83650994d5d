export const DETENTION_RECORDS = Symbol('DETENTION_RECORDS');

/** The detention row events are recorded under, as far as recording reads it. */
export interface LiveDetention {
  origin_known: boolean;
  tenant_id: string | null;
  stale_before: Date | null;
  withdrawn_at: Date | null;
  consent_withdrawn_from: string[];
}

/** A stored start: where the detention came from, and the tenant that put it in. */
export interface DetentionStart {
  detentionId: string;
  municipalityOfOrigin: string;
  tenantId: string | null;
  /** The keyed blind index of the person's BSN (access requests find a person by it). */
  personIndex: string;
}

/**
 * The `detention` rows recording reads and keeps up to date, in the caller's unit of work. Events
 * of one detention are serialised by a transaction-scoped lock on its id.
 */
export interface DetentionRecordsPort {
  /**
   * Locks these detentions until the unit of work ends, in one order for every caller, so that
   * two callers never wait for each other's locks.
   */
  lock(detentionIds: readonly string[]): Promise<void>;
  /** The live (not erased) rows of these detentions, by id. */
  live(detentionIds: readonly string[]): Promise<Map<string, LiveDetention>>;
  /** Erased, not superseded rows under these pseudonyms, the latest erased first. */
  erased(pseudonyms: readonly string[]): Promise<{ detentionId: string; erasureReason: string | null }[]>;
  /**
   * A new notification after a withdrawn, erased one: the erased trace stays, marked superseded,
   * and the detention begins again, without origin, ignoring what the chain sent before `staleBefore`.
   */
  renotify(detentionId: string, renotified: { pseudonym: string; staleBefore: string }): Promise<void>;
  /** The rows exist (created without origin where new). */
  touch(detentionIds: readonly string[]): Promise<void>;
  /** The starts are known: origin, tenant and person index set. */
  start(starts: readonly DetentionStart[]): Promise<void>;
  /** Each detention's release date becomes the latest of what it had and these. */
  release(releases: readonly { detentionId: string; releasedAt: string }[]): Promise<void>;
  /** The release date counted again from these (the ones that stay; none: no release yet). */
  recountRelease(detentionId: string, releasedAts: readonly string[]): Promise<void>;
  /** Its withdrawal was stored (erasure follows once everything about it has gone out). */
  withdraw(detentionId: string): Promise<void>;
  /** Which partner kinds its screenings withdrew consent from (ADR 0025). */
  setConsent(detentionId: string, withdrawnFrom: readonly string[]): Promise<void>;
}
