/** NOTIFY channels that wake the hub's workers (NotifiedWorkLoop listens; polling is the safety net). */

/** Notified when deliveries were written (the outbox relay listens). */
export const OUTBOX_CHANNEL = 'nazorg_outbox';
/** Notified when a detention's case needs re-projecting (CaseRefreshWorker listens). */
export const CASE_REFRESH_CHANNEL = 'nazorg_case_refresh';
