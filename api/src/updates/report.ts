/**
 * What happened to a campaign's updates: its settings, and per event when it was recorded, how many
 * signers it reached, how many were skipped by the throttle (or shared a phone), and where its messages
 * are (queued, sent, skipped at send time, failed). Counts only: no signature, no contact.
 */
import type { Client } from '@libsql/client';
import { normaliseUpdateSettings, parseJson, type UpdateEventKind, type UpdateSettings } from './settings.ts';

export interface UpdateEventReport {
  id: string;
  kind: UpdateEventKind;
  /** `position:<entry id>`, `milestone:<id>` or `closed`. */
  key: string;
  createdAt: string;
  status: 'fanning' | 'done';
  doneAt: string | null;
  /** Live signatures with the updates consent, considered so far. */
  eligible: number;
  /** Of them, messages queued. */
  queued: number;
  /** Of them, not queued: a message to the same contact within 24 hours (the throttle), or another name on the same phone. */
  skipped: number;
  /** Where the queued messages are now. */
  messages: { pending: number; sent: number; skipped: number; failed: number };
}

export async function updatesReport(client: Client, campaignId: string, limit = 50): Promise<{ settings: UpdateSettings; events: UpdateEventReport[] }> {
  const campaign = await client.execute({ sql: 'SELECT updates FROM campaigns WHERE id = ?', args: [campaignId] });
  const settings = normaliseUpdateSettings(parseJson(campaign.rows[0]?.[0]));
  const rows = await client.execute({
    sql:
      'SELECT id, kind, key, created_at, status, done_at, eligible, queued FROM update_events WHERE campaign_id = ? ' +
      'ORDER BY created_at DESC, rowid DESC LIMIT ?',
    args: [campaignId, limit],
  });
  const events: UpdateEventReport[] = rows.rows.map((r) => ({
    id: String(r[0]),
    kind: String(r[1]) as UpdateEventKind,
    key: String(r[2]),
    createdAt: new Date(Number(r[3])).toISOString(),
    status: r[4] === 'done' ? 'done' : 'fanning',
    doneAt: r[5] === null ? null : new Date(Number(r[5])).toISOString(),
    eligible: Number(r[6]),
    queued: Number(r[7]),
    skipped: Number(r[6]) - Number(r[7]),
    messages: { pending: 0, sent: 0, skipped: 0, failed: 0 },
  }));
  if (events.length) {
    const byStatus = await client.execute({
      sql:
        `SELECT update_event_id, status, COUNT(*) FROM outbox WHERE update_event_id IN (${events.map(() => '?').join(', ')}) ` +
        'GROUP BY update_event_id, status',
      args: events.map((e) => e.id),
    });
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const { 0: id, 1: status, 2: n } of byStatus.rows) {
      const messages = byId.get(String(id))?.messages;
      if (!messages) continue;
      const key = status === 'sending' ? 'pending' : (String(status) as keyof UpdateEventReport['messages']);
      if (key in messages) messages[key] += Number(n);
    }
  }
  return { settings, events };
}
