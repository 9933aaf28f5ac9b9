/** The audit log is append-only in the database itself, and usable inside a drizzle transaction. */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers.ts';
import { cliActor } from '../auth/actor.ts';
import { auditLog } from '../db/schema.ts';
import { listAudit, recordAudit } from './audit.ts';

let t: TestDb;
afterEach(() => t.cleanup());

describe('audit log', () => {
  it('records entries and lists them newest first, with filters and a keyset cursor', async () => {
    t = await createTestDb();
    const actor = cliActor();
    for (let i = 0; i < 5; i++) {
      await recordAudit(t.db.orm, { actor, action: i % 2 ? 'export.created' : 'campaign.updated', campaignId: 'c1', rowCount: i, at: 1000 + i, details: { filters: { county: 'KE-30' } } });
    }
    const all = await listAudit(t.db);
    expect(all.map((r) => r.rowCount)).toEqual([4, 3, 2, 1, 0]);
    expect(all[0]).toMatchObject({ actor: actor.id, action: 'campaign.updated', campaignId: 'c1', details: { filters: { county: 'KE-30' } } });
    expect((await listAudit(t.db, { action: 'export.created' })).map((r) => r.rowCount)).toEqual([3, 1]);
    expect((await listAudit(t.db, { from: 1001, to: 1003 })).map((r) => r.rowCount)).toEqual([3, 2, 1]);
    const page1 = await listAudit(t.db, { limit: 2 });
    const page2 = await listAudit(t.db, { limit: 2, before: page1[1]!.id });
    expect(page2.map((r) => r.rowCount)).toEqual([2, 1]);
  });

  it('works inside a drizzle transaction and rolls back with it', async () => {
    t = await createTestDb();
    await t.db.orm.transaction(async (tx) => {
      await recordAudit(tx, { actor: cliActor(), action: 'campaign.created', subject: 'kept' });
    });
    await expect(
      t.db.orm.transaction(async (tx) => {
        await recordAudit(tx, { actor: cliActor(), action: 'campaign.created', subject: 'rolled-back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await listAudit(t.db)).map((r) => r.subject)).toEqual(['kept']);
  });

  it('refuses UPDATE and DELETE in the database (triggers), through SQL and through drizzle', async () => {
    t = await createTestDb();
    await recordAudit(t.db.orm, { actor: cliActor(), action: 'export.created', rowCount: 10 });
    await expect(t.db.client.execute('UPDATE audit_log SET row_count = 0')).rejects.toThrow(/append-only/);
    await expect(t.db.client.execute('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(t.db.orm.delete(auditLog)).rejects.toThrow();
    await expect(t.db.orm.update(auditLog).set({ actor: 'someone-else' })).rejects.toThrow();
    const [row] = await listAudit(t.db);
    expect(row).toMatchObject({ rowCount: 10, action: 'export.created' });
    expect(await listAudit(t.db)).toHaveLength(1);
  });
});
