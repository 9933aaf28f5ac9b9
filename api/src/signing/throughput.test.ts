import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers.ts';
import { measureWriterThroughput } from './throughput.ts';

let testDb: TestDb;
beforeEach(async () => {
  testDb = await createTestDb();
});
afterEach(() => testDb.cleanup());

it('writes and counts exactly the requested rows, grouped into shared transactions', async () => {
  const result = await measureWriterThroughput(testDb.db, { rows: 300, submitters: 30 });
  expect(result.rows).toBe(300);
  expect(result.transactions).toBeLessThan(300);
  expect(result.rowsPerSecond).toBeGreaterThan(0);
  const rows = await testDb.db.client.execute('SELECT COUNT(*) FROM signatures');
  expect(Number(rows.rows[0]![0])).toBe(300);
});
