import { EntityManager } from 'typeorm';
import { DataCipherPort } from '../encryption/data-cipher.port';
import { OutboxEntry } from '../ports/outbox-writer.port';
import { insertDeliveries } from './typeorm-outbox.writer';

/* The outbox writer without a database: which entries reach the insert statement. */
const cipher = {
  activeKeyId: 'k1',
  sealAllFor: async (values: unknown[]) =>
    values.map(() => ({ sealed: Buffer.from('sealed'), keyId: 'dk:1' })),
} as unknown as DataCipherPort;

function entry(id: string, formerIds?: string[]): OutboxEntry {
  return {
    id,
    formerIds,
    recipientId: 'coordinator-smal',
    recipientKind: 'coordinator',
    tenantId: 'smal',
    channel: {},
    exchange: 'nazorg.deliveries',
    routingKey: 'coordinator-smal',
    message: {
      id,
      source: 'nazorg-hub',
      type: 'nazorg.aftercare.deadline.alert',
      time: '2026-12-01T00:00:00Z',
    },
    disclosedPaths: [],
    privacyProfileVersion: 'v1',
  };
}

function fakeEm(existing: string[]) {
  const queries: { sql: string; params: unknown[] }[] = [];
  const em = {
    query: jest.fn(async (sql: string, params: unknown[]) => {
      queries.push({ sql, params });
      if (sql.startsWith('select id::text')) return existing.map((id) => ({ id }));
      return [];
    }),
  } as unknown as EntityManager;
  const inserted = () =>
    queries
      .filter((q) => q.sql.includes('insert into delivery'))
      .flatMap((q) => (q.params as unknown[]).filter((_, i) => i % 15 === 0));
  return { em, queries, inserted };
}

describe('insertDeliveries across a key rotation (ADR 0023)', () => {
  const A = '00000000-0000-8000-8000-00000000000a';
  const B = '00000000-0000-8000-8000-00000000000b';
  const OLD_A = '00000000-0000-8000-8000-0000000000a0';
  const OLD_B = '00000000-0000-8000-8000-0000000000b0';

  it('leaves out an entry whose id under a previous key is already in the outbox', async () => {
    const { em, inserted } = fakeEm([OLD_A]);
    await insertDeliveries(em, cipher, null, 'DJI-1', [entry(A, [OLD_A]), entry(B, [OLD_B])]);
    expect(inserted()).toEqual([B]);
  });

  it('writes nothing when every entry was planned before', async () => {
    const { em, inserted } = fakeEm([OLD_A, OLD_B]);
    await insertDeliveries(em, cipher, null, 'DJI-1', [entry(A, [OLD_A]), entry(B, [OLD_B])]);
    expect(inserted()).toEqual([]);
  });

  it('asks nothing more without former ids', async () => {
    const { em, queries, inserted } = fakeEm([]);
    await insertDeliveries(em, cipher, null, 'DJI-1', [entry(A), entry(B, [])]);
    expect(queries.filter((q) => q.sql.startsWith('select'))).toEqual([]);
    expect(inserted()).toEqual([A, B]);
  });
});
