import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CaseRefreshRequestsPort } from '../ports/case-refresh-requests.port';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';
import { CASE_REFRESH_CHANNEL } from './work-channels';

/** Asks for the detentions' cases to be re-projected, in the caller's transaction. */
export async function requestCaseRefresh(
  em: EntityManager | DataSource,
  detentionIds: readonly string[],
): Promise<void> {
  if (detentionIds.length === 0) return;
  await em.query(
    // A new input may change what the projection meets: it gets its own attempts (ADR 0013).
    `insert into case_refresh (detention_id) select unnest($1::text[])
     on conflict (detention_id) do update set requested_at = clock_timestamp(), failed_attempts = 0,
       last_error = null, last_error_at = null, parked_at = null`,
    [detentionIds],
  );
}

@Injectable()
export class TypeormCaseRefreshRequests implements CaseRefreshRequestsPort {
  constructor(private readonly unitOfWork: TypeormUnitOfWork) {}

  async request(detentionIds: readonly string[]): Promise<void> {
    if (detentionIds.length === 0) return;
    await requestCaseRefresh(this.unitOfWork.manager(), [...new Set(detentionIds)]);
    // Once per transaction, however many detentions it asked for.
    await this.unitOfWork.notifyOnCommit(CASE_REFRESH_CHANNEL);
  }
}
