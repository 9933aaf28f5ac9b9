/**
 * What a campaigner sees before turning updates on: the SMS (with its length and segment count) and the
 * e-mail of one kind of event, in English and Kiswahili, built by the same functions as the real messages.
 * The example is the campaign's own where it has one — its latest position change (else the asked duty
 * bearer with the longest name: the worst case for the SMS), its next milestone, its count — and a
 * labelled sample otherwise.
 */
import { LOCALES, type Locale } from '@imlu/contracts';
import type { Client } from '@libsql/client';
import type { ConfirmationTokens } from '../confirm/token.ts';
import { smsSegments } from '../messages/sms.ts';
import type { RecordableStatus } from '../accountability/schemas.ts';
import { updateEmail, updateSms, type UpdateContent } from './messages.ts';
import { campaignLink, eventContent, unsubscribeUrl, type CampaignForUpdates } from './send.ts';
import { normaliseUpdateSettings, type UpdateEventKind } from './settings.ts';

export interface PreviewOptions {
  /** A target id: preview a position of this duty bearer. */
  targetId?: string | undefined;
  /** The status to preview (position). Default: the latest recorded, else `committed`. */
  status?: RecordableStatus | undefined;
  /** The milestone to preview. Default: the next one not reached, else the highest. */
  threshold?: number | undefined;
}

export interface UpdatePreview {
  event: UpdateEventKind;
  /** Whether this campaign currently sends this kind of update. */
  enabled: boolean;
  /** True when the example is made up (the campaign has no data of its own for it yet). */
  sample: boolean;
  messages: Record<
    Locale,
    { sms: { text: string; encoding: 'GSM-7' | 'UCS-2'; characters: number; segments: number }; email: { subject: string; text: string } }
  >;
}

async function exampleContent(client: Client, campaign: CampaignForUpdates, event: UpdateEventKind, options: PreviewOptions) {
  if (event === 'closed') return { content: await eventContent(client, campaign.id, 'closed', {}), sample: false };
  if (event === 'milestone') {
    const milestones = await client.execute({
      sql: 'SELECT threshold, label_en, label_sw, reached_at FROM milestones WHERE campaign_id = ? ORDER BY threshold',
      args: [campaign.id],
    });
    const rows = milestones.rows.map((r) => ({ threshold: Number(r[0]), label: { en: String(r[1]), sw: String(r[2]) }, reached: r[3] !== null }));
    const chosen =
      options.threshold !== undefined ? rows.find((m) => m.threshold === options.threshold) : (rows.find((m) => !m.reached) ?? rows.at(-1));
    if (chosen) return { content: { kind: 'milestone', threshold: chosen.threshold, label: chosen.label } satisfies UpdateContent, sample: false };
    const threshold = options.threshold ?? 1000;
    return {
      content: { kind: 'milestone', threshold, label: { en: 'a thousand voices for justice', sw: 'sauti elfu moja za haki' } } satisfies UpdateContent,
      sample: true,
    };
  }
  // position: the given target, else the latest recording (all its demands), else the asked target with the longest name.
  const latest = await client.execute({
    sql:
      'SELECT p.target_id, p.recorded_at FROM position_entries p WHERE p.campaign_id = ? ' +
      `${options.targetId ? 'AND p.target_id = ? ' : ''}ORDER BY p.recorded_at DESC, p.seq DESC LIMIT 1`,
    args: options.targetId ? [campaign.id, options.targetId] : [campaign.id],
  });
  const asked = await client.execute({
    sql:
      'SELECT t.id FROM campaign_asks a JOIN targets t ON t.id = a.target_id ' +
      `WHERE a.campaign_id = ? ${options.targetId ? 'AND t.id = ? ' : ''}ORDER BY length(t.name) DESC LIMIT 1`,
    args: options.targetId ? [campaign.id, options.targetId] : [campaign.id],
  });
  const latestRow = latest.rows[0];
  const targetId = latestRow ? String(latestRow[0]) : asked.rows[0] ? String(asked.rows[0][0]) : undefined;
  if (!targetId) {
    const demands = await client.execute({ sql: 'SELECT id FROM demands WHERE campaign_id = ? ORDER BY position', args: [campaign.id] });
    const content = await eventContent(client, campaign.id, 'position', {
      target: 'Inspector-General of Police',
      changes: demands.rows.map((d) => ({ demandId: String(d[0]), status: options.status ?? 'committed' })),
      statement: null,
    });
    return { content, sample: true };
  }
  const target = await client.execute({ sql: 'SELECT name FROM targets WHERE id = ?', args: [targetId] });
  const entries = latestRow
    ? await client.execute({
        sql: 'SELECT demand_id, status, statement FROM position_entries WHERE campaign_id = ? AND target_id = ? AND recorded_at = ? ORDER BY seq',
        args: [campaign.id, targetId, Number(latestRow[1])],
      })
    : await client.execute({
        sql: "SELECT d.demand_id, 'committed', NULL FROM campaign_ask_demands d JOIN campaign_asks a ON a.id = d.ask_id WHERE a.campaign_id = ? AND a.target_id = ?",
        args: [campaign.id, targetId],
      });
  const content = await eventContent(client, campaign.id, 'position', {
    target: String(target.rows[0]?.[0] ?? ''),
    changes: entries.rows.map((e) => ({ demandId: String(e[0]), status: options.status ?? String(e[1]) })),
    statement: entries.rows.map((e) => e[2]).find((s) => typeof s === 'string') ?? null,
  });
  return { content, sample: false };
}

export async function previewUpdate(
  context: { client: Client; publicBaseUrl: () => string; unsubscribe: ConfirmationTokens; replyStop: boolean },
  campaign: CampaignForUpdates,
  event: UpdateEventKind,
  options: PreviewOptions = {},
): Promise<UpdatePreview> {
  const { content, sample } = await exampleContent(context.client, campaign, event, options);
  // A real token's length, for a signature that does not exist.
  const unsubscribe = unsubscribeUrl(context, '00000000-0000-4000-8000-000000000000');
  const messages = {} as UpdatePreview['messages'];
  for (const locale of LOCALES) {
    const base = { locale, content, campaignKind: campaign.kind, campaignTitle: campaign.title };
    const sms = updateSms({ ...base, link: campaignLink(context.publicBaseUrl(), campaign) }, { replyStop: context.replyStop });
    const segments = smsSegments(sms);
    const email = updateEmail({ ...base, link: campaignLink(context.publicBaseUrl(), campaign, locale) }, unsubscribe);
    messages[locale] = {
      sms: { text: sms, encoding: segments.encoding, characters: segments.units, segments: segments.segments },
      email: { subject: email.subject, text: email.text },
    };
  }
  return { event, enabled: normaliseUpdateSettings(campaign.settings).events.includes(event), sample, messages };
}
