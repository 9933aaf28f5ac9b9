/**
 * The SQL rules (triggers and views) have one readable home, `src/db/sql/`: one file per object, holding
 * exactly what the migrated database holds. Migrations are the history of how each came to be; these
 * files are what is in force. A migration that changes a trigger without its file here (or the reverse)
 * fails this test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/helpers.ts';

const SQL_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The CREATE statement of a file: its header comments and the final semicolon left out. */
function statementOf(text: string): string {
  const start = text.search(/^CREATE /m);
  return normalise(text.slice(start).replace(/;\s*$/, ''));
}

const normalise = (sql: string) => sql.replace(/[ \t]+$/gm, '').trim();

function files(kind: 'trigger' | 'view'): Map<string, string> {
  const dir = path.join(SQL_DIR, `${kind}s`);
  return new Map(readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => [f.slice(0, -4), readFileSync(path.join(dir, f), 'utf8')]));
}

let t: TestDb | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

describe('the live SQL rules in src/db/sql/', () => {
  it('are exactly the triggers and views of the migrated database', async () => {
    t = await createTestDb();
    for (const kind of ['trigger', 'view'] as const) {
      const live = await t.db.client.execute({ sql: 'SELECT name, sql FROM sqlite_master WHERE type = ? ORDER BY name', args: [kind] });
      const defined = files(kind);
      expect([...defined.keys()].sort()).toEqual(live.rows.map((r) => String(r[0])));
      for (const row of live.rows) {
        expect(statementOf(defined.get(String(row[0]))!), `${kind} ${String(row[0])}`).toBe(normalise(String(row[1])));
      }
    }
  });

  it('each name the migration that gave it its current form', () => {
    for (const kind of ['trigger', 'view'] as const) {
      for (const [name, text] of files(kind)) {
        const migration = /api\/drizzle\/(\d{4}_\w+)\.sql/.exec(text)?.[1];
        expect(migration, name).toBeDefined();
        const body = readFileSync(path.join(SQL_DIR, '../../../drizzle', `${migration}.sql`), 'utf8');
        expect(normalise(body)).toContain(statementOf(text));
      }
    }
  });
});
