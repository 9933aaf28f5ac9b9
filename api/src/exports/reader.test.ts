/**
 * What an export reads (issue 15): the columns SQLite's program for each page query reads, checked in
 * its bytecode (`EXPLAIN`); and the reader worker, which must yield exactly the pages the connection's own
 * reader yields, end on the same empty or short page, and stop when its reader stops.
 */
import path from 'node:path';
import { createClient, type InStatement } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/helpers.ts';
import { insertSignatures, syntheticRow } from '../../test/synthetic.ts';
import type { Db } from '../db/client.ts';
import { summarise } from './query.ts';
import { pageSignatures, readPages } from './reader.ts';
import { ROW, type RawExportRow } from './rows.ts';
import { exportStream, type ExportRequest } from './run.ts';

let t: TestApi;
afterEach(async () => {
  await t.close();
});

const START = Date.UTC(2026, 9, 1, 8);

async function seed(rows: number) {
  t = await createTestApi({});
  await insertSignatures(
    t.db.client,
    t.api.services.crypto,
    t.campaignId,
    Array.from({ length: rows }, (_, i) => ({ ...syntheticRow(i, START), email: `signer${i}@example.org` })),
  );
  return (await t.api.services.campaigns.findBySlug(t.slug))!;
}

/** The database with every statement it is given recorded. */
function recording(db: Db): { db: Db; statements: InStatement[] } {
  const statements: InStatement[] = [];
  const client = new Proxy(db.client, {
    get(target, property) {
      if (property === 'execute') {
        return (statement: InStatement) => {
          statements.push(statement);
          return target.execute(statement);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: { ...db, client }, statements };
}

/** The columns of `signatures` that the statement's compiled program reads (its `Column` opcodes). */
async function columnsRead(db: Db, statement: InStatement): Promise<Set<string>> {
  const root = Number((await db.client.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'signatures'")).rows[0]![0]);
  const names = (await db.client.execute('PRAGMA table_info(signatures)')).rows.map((row) => String(row['name']));
  const program = await db.client.execute(typeof statement === 'string' ? `EXPLAIN ${statement}` : { sql: `EXPLAIN ${statement.sql}`, args: statement.args });
  const table = new Set(program.rows.filter((op) => op['opcode'] === 'OpenRead' && Number(op['p2']) === root).map((op) => Number(op['p1'])));
  expect(table.size).toBeGreaterThan(0);
  return new Set(program.rows.filter((op) => op['opcode'] === 'Column' && table.has(Number(op['p1']))).map((op) => names[Number(op['p2'])]!));
}

async function drain(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

describe('what an export reads', () => {
  it('a CSV export without contacts never reads the contact columns; with contacts it reads them', async () => {
    const campaign = await seed(2500);
    const request = (includeContacts: boolean): ExportRequest => ({
      campaign,
      format: 'csv',
      filter: {},
      locale: 'en',
      includeContacts,
      reader: 'thread',
    });
    const summary = await summarise(t.db, { campaignId: campaign.id });
    for (const includeContacts of [false, true]) {
      const spy = recording(t.db);
      const text = await drain(await exportStream(spy.db, t.api.services.crypto, request(includeContacts), summary, { generatedAt: START }));
      expect(text.split('\r\n')).toHaveLength(1 + 2500 + 1);
      const pageQueries = spy.statements.filter((s) => typeof s !== 'string' && /FROM signatures/.test(s.sql));
      expect(pageQueries).toHaveLength(3);
      for (const statement of pageQueries) {
        const read = await columnsRead(t.db, statement);
        expect(read.has('name_enc')).toBe(true);
        expect(read.has('email_enc')).toBe(includeContacts);
        expect(read.has('phone_enc')).toBe(includeContacts);
        // Columns no export writes are never read.
        for (const column of ['comment_enc', 'locale', 'consent_public_name', 'source_hash', 'phone_hash', 'source_ref', 'origin']) expect(read.has(column)).toBe(false);
      }
    }
    // The OSDI JSON export reads the partner's source tag and origin too, and still no contact unless asked.
    const spy = recording(t.db);
    await drain(await exportStream(spy.db, t.api.services.crypto, { ...request(false), format: 'json' }, summary, { generatedAt: START }));
    for (const statement of spy.statements.filter((s) => typeof s !== 'string' && /FROM signatures/.test(s.sql))) {
      const read = await columnsRead(t.db, statement);
      for (const column of ['source_ref', 'origin', 'name_enc']) expect(read.has(column)).toBe(true);
      for (const column of ['email_enc', 'phone_enc', 'comment_enc']) expect(read.has(column)).toBe(false);
    }
  });
});

describe('packed rows', () => {
  it('carry a source tag or origin holding a separator with the separators taken out, not a shifted column', async () => {
    const campaign = await seed(2);
    const ids = (await t.db.client.execute('SELECT id FROM signatures ORDER BY created_at')).rows.map((row) => String(row[0]));
    await t.db.client.execute({ sql: 'UPDATE signatures SET source_ref = ?, origin = ? WHERE id = ?', args: ['tag\x1fone\x1dtwo\x1e', 'https://partner.example', ids[0]!] });
    const rows: RawExportRow[] = [];
    for await (const page of pageSignatures(t.db, { campaignId: campaign.id }, { includeReferrer: true })) rows.push(...page);
    expect(rows.map((row) => [row[ROW.id], row[ROW.emailEnc], row[ROW.sourceRef], row[ROW.origin]])).toEqual([
      [ids[0], null, 'tagonetwo', 'https://partner.example'],
      [ids[1], null, null, null],
    ]);
  });

  it('keep NULL apart from empty text, and stop at a field holding the separator rather than shift a column', async () => {
    const campaign = await seed(3);
    const ids = (await t.db.client.execute('SELECT id FROM signatures ORDER BY created_at')).rows.map((row) => String(row[0]));
    await t.db.client.execute({ sql: "UPDATE signatures SET county = NULL, confirmed_at = 5 WHERE id = ?", args: [ids[0]!] });
    await t.db.client.execute({ sql: "UPDATE signatures SET county = '' WHERE id = ?", args: [ids[1]!] });
    const rows: RawExportRow[] = [];
    for await (const page of pageSignatures(t.db, { campaignId: campaign.id })) rows.push(...page);
    expect(rows.map((row) => [row[ROW.id], row[ROW.county], row[ROW.confirmedAt]])).toEqual([
      [ids[0], null, 5],
      [ids[1], '', null],
      [ids[2], expect.any(String), null],
    ]);
    for (const separator of [31, 29]) {
      await t.db.client.execute({ sql: `UPDATE signatures SET county = 'KE-30' || char(${separator}) || 'x' WHERE id = ?`, args: [ids[1]!] });
      await expect(async () => {
        for await (const _page of pageSignatures(t.db, { campaignId: campaign.id })) expect.unreachable();
      }).rejects.toThrow(/^export: signature .* has a field holding U\+001D or U\+001F/);
    }
  });
});

describe('the reader worker', () => {
  it('yields the pages the connection reads, in order, ending on a short page or an empty one (and so does a row per result row)', async () => {
    const campaign = await seed(2000);
    for (const pageSize of [1000, 700]) {
      const filter = { campaignId: campaign.id };
      const thread: unknown[][] = [];
      const threadSizes: number[] = [];
      for await (const page of pageSignatures(t.db, filter, { pageSize, includeContacts: true, onPage: (n) => threadSizes.push(n) })) {
        thread.push(...page);
      }
      const worker: unknown[][] = [];
      const workerSizes: number[] = [];
      for await (const page of readPages(t.db, filter, { pageSize, includeContacts: true, reader: 'worker', onPage: (n) => workerSizes.push(n) })) {
        worker.push(...page);
      }
      // A row per result row, as from a libSQL server (see rows.ts), over the same file.
      const perRow: unknown[][] = [];
      for await (const page of pageSignatures({ ...t.db, embedded: false }, filter, { pageSize, includeContacts: true })) perRow.push(...page);
      expect(thread).toHaveLength(2000);
      expect(worker).toEqual(thread);
      expect(perRow).toEqual(thread);
      expect(workerSizes).toEqual(threadSizes);
      expect(workerSizes).toEqual(pageSize === 1000 ? [1000, 1000, 0] : [700, 700, 600]);
    }
  });

  it('stops when its reader stops, and reports a failing query', async () => {
    const campaign = await seed(3000);
    // Stopped while it reads ahead: a worker terminated inside libsql's native code aborted the process.
    for (let round = 0; round < 10; round++) {
      let pages = 0;
      for await (const page of readPages(t.db, { campaignId: campaign.id }, { pageSize: 500, reader: 'worker' })) {
        expect(page).toHaveLength(500);
        pages += 1;
        if (pages === 1 + (round % 3)) break;
      }
      expect(pages).toBe(1 + (round % 3));
    }
    // A database whose `signatures` lacks the columns: the worker's query fails, and so does the export.
    const other = createClient({ url: `file:${path.join(t.dir, 'other.db')}` });
    await other.execute('CREATE TABLE signatures (id TEXT PRIMARY KEY)');
    other.close();
    const read = async (url: string) => {
      for await (const _page of readPages({ ...t.db, url }, { campaignId: campaign.id }, { reader: 'worker' })) expect.unreachable();
    };
    await expect(read(`file:${path.join(t.dir, 'other.db')}`)).rejects.toThrow(/^export reader: .*no such column/);
    await expect(read(`file:${path.join(t.dir, 'missing', 'x.db')}`)).rejects.toThrow(/^export reader: /);
  });
});
