import { Injectable } from '@nestjs/common';
import { DetentionRecordsPort, DetentionStart, LiveDetention } from '../ports/detention-records.port';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';

@Injectable()
export class TypeormDetentionRecords implements DetentionRecordsPort {
  constructor(private readonly unitOfWork: TypeormUnitOfWork) {}

  private query<T>(sql: string, parameters: unknown[]): Promise<T> {
    return this.unitOfWork.manager().query(sql, parameters) as Promise<T>;
  }

  async lock(detentionIds: readonly string[]): Promise<void> {
    if (detentionIds.length === 0) return;
    // In hash order: two units locking overlapping detentions never wait for each other.
    await this.query(
      `select count(pg_advisory_xact_lock(h)) from
         (select distinct hashtextextended(s, 0) h from unnest($1::text[]) s order by h) l`,
      [detentionIds],
    );
  }

  async live(detentionIds: readonly string[]): Promise<Map<string, LiveDetention>> {
    if (detentionIds.length === 0) return new Map();
    const rows: (LiveDetention & { detention_id: string })[] = await this.query(
      `select detention_id, origin_known, tenant_id, stale_before, withdrawn_at, consent_withdrawn_from
       from detention where detention_id = any($1)`,
      [detentionIds],
    );
    return new Map(rows.map(({ detention_id, ...live }) => [detention_id, live]));
  }

  async erased(
    pseudonyms: readonly string[],
  ): Promise<{ detentionId: string; erasureReason: string | null }[]> {
    if (pseudonyms.length === 0) return [];
    const rows: { detention_id: string; erasure_reason: string | null }[] = await this.query(
      `select detention_id, erasure_reason from detention
       where detention_id = any($1) and erased_at is not null and superseded_at is null
       order by erased_at desc`,
      [pseudonyms],
    );
    return rows.map((r) => ({ detentionId: r.detention_id, erasureReason: r.erasure_reason }));
  }

  async renotify(
    detentionId: string,
    { pseudonym, staleBefore }: { pseudonym: string; staleBefore: string },
  ): Promise<void> {
    await this.query(`update detention set superseded_at = now() where detention_id = $1`, [pseudonym]);
    await this.query(
      `insert into detention (detention_id, origin_known, stale_before) values ($1, false, $2)`,
      [detentionId, staleBefore],
    );
  }

  async touch(detentionIds: readonly string[]): Promise<void> {
    if (detentionIds.length === 0) return;
    await this.query(
      `insert into detention (detention_id, origin_known) select unnest($1::text[]), false
       on conflict (detention_id) do update set updated_at = now()`,
      [detentionIds],
    );
  }

  async start(starts: readonly DetentionStart[]): Promise<void> {
    if (starts.length === 0) return;
    await this.query(
      `insert into detention (detention_id, origin_known, municipality_of_origin, tenant_id, person_index)
       select d, true, m, t, p from unnest($1::text[], $2::text[], $3::text[], $4::text[]) s(d, m, t, p)
       on conflict (detention_id) do update
         set origin_known = true, municipality_of_origin = excluded.municipality_of_origin,
             tenant_id = excluded.tenant_id, person_index = excluded.person_index, updated_at = now()`,
      [
        starts.map((s) => s.detentionId),
        starts.map((s) => s.municipalityOfOrigin),
        starts.map((s) => s.tenantId),
        starts.map((s) => s.personIndex),
      ],
    );
  }

  async release(releases: readonly { detentionId: string; releasedAt: string }[]): Promise<void> {
    if (releases.length === 0) return;
    // The aftercare (and so the retention) clock starts at the last release.
    await this.query(
      `update detention d set released_at = greatest(d.released_at, r.at)
       from (select id, max(at::timestamptz) at from unnest($1::text[], $2::text[]) v(id, at) group by id) r
       where d.detention_id = r.id`,
      [releases.map((r) => r.detentionId), releases.map((r) => r.releasedAt)],
    );
  }

  async recountRelease(detentionId: string, releasedAts: readonly string[]): Promise<void> {
    await this.query(
      `update detention set released_at = (select max(r::timestamptz) from unnest($2::text[]) r)
       where detention_id = $1`,
      [detentionId, releasedAts],
    );
  }

  async withdraw(detentionId: string): Promise<void> {
    await this.query(
      `update detention set withdrawn_at = coalesce(withdrawn_at, now()) where detention_id = $1`,
      [detentionId],
    );
  }

  async setConsent(detentionId: string, withdrawnFrom: readonly string[]): Promise<void> {
    await this.query(`update detention set consent_withdrawn_from = $2 where detention_id = $1`, [
      detentionId,
      withdrawnFrom,
    ]);
  }
}
