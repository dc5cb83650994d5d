export type IncidentCondition = 'channel-stuck' | 'recipient-failing' | 'deadline-missed';

/** One condition that holds now, about one subject (a partition, queue, recipient, tenant deadline). */
export interface ActiveCondition {
  condition: IncidentCondition;
  subject: string;
  tenant: string | null;
  /** Counts and channel names only: never personal data. */
  summary: string;
}

/** The shape of GET /api/v1/incidents. */
export interface IncidentView {
  id: string;
  condition: IncidentCondition;
  subject: string;
  tenant: string | null;
  raisedAt: string;
  clearedAt: string | null;
  notifiedAt: string | null;
  summary: string;
}
