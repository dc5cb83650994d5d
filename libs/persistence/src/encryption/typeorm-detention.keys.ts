import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TypeormUnitOfWork } from '../adapters/typeorm.unit-of-work';
import { SqlExecutor } from './data-cipher.port';
import { DetentionKeysPort, StoredDetentionKey } from './detention-keys.port';

interface KeyRow {
  id: string;
  master_key_id: string;
  wrapped: Buffer;
}

const toKey = (r: KeyRow): StoredDetentionKey => ({
  id: r.id,
  masterKeyId: r.master_key_id,
  wrapped: r.wrapped,
});

@Injectable()
export class TypeormDetentionKeys implements DetentionKeysPort {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly unitOfWork: TypeormUnitOfWork,
  ) {}

  async findOrAdd(
    subject: string,
    candidate: StoredDetentionKey,
    db: SqlExecutor = this.unitOfWork.manager(),
  ): Promise<StoredDetentionKey> {
    // One round trip when the key exists or can be added. In the caller's transaction on purpose:
    // a first value rolled back takes its new key with it, and a key is never visible before the
    // values it sealed could be.
    const rows = (await db.query(
      `with found as (select id, master_key_id, wrapped from detention_key where subject = $1),
            added as (
              insert into detention_key (id, subject, master_key_id, wrapped)
              select $2, $1, $3, $4 where not exists (select 1 from found)
              on conflict (subject) do nothing
              returning id, master_key_id, wrapped)
       select * from found union all select * from added`,
      [subject, candidate.id, candidate.masterKeyId, candidate.wrapped],
    )) as KeyRow[];
    if (rows.length > 0) return toKey(rows[0]);
    // Another transaction added one meanwhile (the insert waited for it to commit); this
    // statement's snapshot is newer and sees it.
    const again = (await db.query(`select id, master_key_id, wrapped from detention_key where subject = $1`, [
      subject,
    ])) as KeyRow[];
    if (again.length === 0) throw new Error('a detention key could neither be found nor added');
    return toKey(again[0]);
  }

  async findOrAddAll(
    candidates: readonly { subject: string; candidate: StoredDetentionKey }[],
    db: SqlExecutor = this.unitOfWork.manager(),
  ): Promise<Map<string, StoredDetentionKey>> {
    if (candidates.length === 0) return new Map();
    const unique = [...new Map(candidates.map((c) => [c.subject, c])).values()];
    const rows = (await db.query(
      `with wanted as (
              select * from unnest($1::text[], $2::uuid[], $3::text[], $4::bytea[]) w(subject, id, master_key_id, wrapped)),
            found as (
              select k.subject, k.id, k.master_key_id, k.wrapped from detention_key k join wanted w using (subject)),
            added as (
              insert into detention_key (id, subject, master_key_id, wrapped)
              select w.id, w.subject, w.master_key_id, w.wrapped from wanted w
              where not exists (select 1 from found f where f.subject = w.subject)
              on conflict (subject) do nothing
              returning subject, id, master_key_id, wrapped)
       select subject, id::text as id, master_key_id, wrapped from found
       union all select subject, id::text as id, master_key_id, wrapped from added`,
      [
        unique.map((c) => c.subject),
        unique.map((c) => c.candidate.id),
        unique.map((c) => c.candidate.masterKeyId),
        unique.map((c) => c.candidate.wrapped),
      ],
    )) as (KeyRow & { subject: string })[];
    return new Map(rows.map((r) => [r.subject, toKey(r)]));
  }

  async findAll(
    subjects: readonly string[],
    db: SqlExecutor = this.unitOfWork.manager(),
  ): Promise<Map<string, StoredDetentionKey>> {
    if (subjects.length === 0) return new Map();
    const rows = (await db.query(
      `select subject, id, master_key_id, wrapped from detention_key where subject = any($1)`,
      [[...new Set(subjects)]],
    )) as (KeyRow & { subject: string })[];
    return new Map(rows.map((r) => [r.subject, toKey(r)]));
  }

  async byId(id: string): Promise<StoredDetentionKey | undefined> {
    const rows: KeyRow[] = await this.unitOfWork
      .manager()
      .query(`select id, master_key_id, wrapped from detention_key where id = $1`, [id]);
    return rows[0] && toKey(rows[0]);
  }

  async destroy(subjects: readonly string[], db: SqlExecutor = this.dataSource): Promise<string[]> {
    if (subjects.length === 0) return [];
    // Through a CTE: TypeORM answers a bare DELETE with [rows, count], not rows.
    const rows = (await db.query(
      `with gone as (delete from detention_key where subject = any($1) returning id) select id from gone`,
      [subjects],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
