/**
 * Steps that drive the console's Duty bearers view in the browser, for its own end-to-end test and for the
 * lead's whole-flow test. Each takes a signed-in `page` whose console is in `language`; the words are the
 * view's own (typed here, not imported, so that a wrong translation fails a test).
 */
import type { Locator, Page } from 'playwright-core';

export type Language = 'en' | 'sw';
export type Stance = 'acknowledged' | 'committed' | 'declined' | 'delivered' | 'broken';

export const DUTY_BEARERS_COPY = {
  en: {
    view: 'Duty bearers',
    back: 'Back to your views',
    campaign: 'Campaign',
    add: 'Add a duty bearer',
    name: 'Name',
    nameSw: 'Name in Kiswahili (if it differs)',
    office: 'Office or role',
    officeSw: 'Office or role in Kiswahili',
    level: 'Jurisdiction',
    county: 'County',
    save: 'Save',
    cancel: 'Cancel',
    edit: 'Edit',
    ask: 'Ask',
    record: 'Record a position',
    issue: 'Make a response link',
    stance: 'Position',
    stances: { acknowledged: 'Acknowledged', committed: 'Committed', declined: 'Declined', delivered: 'Delivered', broken: 'Broke the commitment' },
    statement: 'What they said (English)',
    evidence: 'Evidence link',
    added: (name: string) => `${name} was added.`,
    edited: (name: string) => `${name} was saved.`,
    asked: (name: string) => `${name} is asked. The board shows them as waiting for an answer.`,
    recorded: (name: string) => `The position of ${name} is recorded. It shows on the public board within a few seconds.`,
    evidenceError: 'Enter a web address starting with https:// (http:// links are not accepted).',
    fix: 'Check the fields marked below.',
    copy: 'Copy',
    copied: 'Copied',
    done: 'Done, I have copied it',
    linkLabel: (name: string) => `Response link for ${name}`,
    revoke: 'Revoke',
    revokeTitle: 'Revoke this response link?',
    revokeConfirm: 'Revoke the link',
    revoked: 'The link is revoked.',
    revokedState: 'Revoked',
    overdueBy: (days: number) => (days === 1 ? 'Overdue by 1 day' : `Overdue by ${days} days`),
    showBoard: 'Show the public board',
    history: 'History',
    evidenceLink: 'Evidence',
  },
  sw: {
    view: 'Wenye wajibu',
    back: 'Rudi kwenye sehemu zako',
    campaign: 'Kampeni',
    add: 'Ongeza mwenye wajibu',
    name: 'Jina',
    nameSw: 'Jina kwa Kiswahili (kama ni tofauti)',
    office: 'Ofisi au wadhifa',
    officeSw: 'Ofisi au wadhifa kwa Kiswahili',
    level: 'Mamlaka',
    county: 'Kaunti',
    save: 'Hifadhi',
    cancel: 'Ghairi',
    edit: 'Hariri',
    ask: 'Wasilisha madai',
    record: 'Rekodi msimamo',
    issue: 'Tengeneza kiungo cha majibu',
    stance: 'Msimamo',
    stances: { acknowledged: 'Limepokelewa', committed: 'Limeahidiwa', declined: 'Limekataliwa', delivered: 'Limetekelezwa', broken: 'Ahadi imevunjwa' },
    statement: 'Walichosema (Kiingereza)',
    evidence: 'Kiungo cha ushahidi',
    added: (name: string) => `${name} ameongezwa.`,
    edited: (name: string) => `Mabadiliko ya ${name} yamehifadhiwa.`,
    asked: (name: string) => `Madai yamewasilishwa kwa ${name}. Ubao unaonyesha kwamba linasubiri jibu.`,
    recorded: (name: string) => `Msimamo wa ${name} umerekodiwa. Utaonekana kwenye ubao wa umma baada ya sekunde chache.`,
    evidenceError: 'Weka anwani ya tovuti inayoanza na https:// (viungo vya http:// havikubaliwi).',
    fix: 'Angalia sehemu zilizowekwa alama hapa chini.',
    copy: 'Nakili',
    copied: 'Kimenakiliwa',
    done: 'Sawa, nimekinakili',
    linkLabel: (name: string) => `Kiungo cha majibu cha ${name}`,
    revoke: 'Futa',
    revokeTitle: 'Ufute kiungo hiki cha majibu?',
    revokeConfirm: 'Futa kiungo',
    revoked: 'Kiungo kimefutwa.',
    revokedState: 'Kilifutwa',
    overdueBy: (days: number) => `Muda umepita kwa siku ${days}`,
    showBoard: 'Onyesha ubao wa umma',
    history: 'Historia',
    evidenceLink: 'Ushahidi',
  },
} as const;

export interface DutyBearerInput {
  name: string;
  nameSw?: string;
  office?: string;
  officeSw?: string;
  /** A county code (KE-01 … KE-47) for a county office; without it, a national one. */
  county?: string;
}

export interface PositionInput {
  stance: Stance;
  statement: string;
  evidenceUrl: string;
}

/** The name a reader in `language` sees: the Kiswahili one where there is one. */
export function shownName(target: DutyBearerInput, language: Language): string {
  return (language === 'sw' && target.nameSw) || target.name;
}

/** From the console's home: opens Duty bearers and picks the campaign. */
export async function openDutyBearers(page: Page, language: Language, slug: string): Promise<void> {
  const copy = DUTY_BEARERS_COPY[language];
  await page.getByRole('button', { name: copy.view, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: copy.view }).waitFor();
  const picker = page.getByRole('combobox', { name: copy.campaign, exact: true });
  await picker.selectOption(slug);
  await page.getByRole('button', { name: copy.add }).waitFor();
}

/** The duty bearer's entry in the view's list. */
export function dutyBearerEntry(page: Page, name: string): Locator {
  return page.locator('ul.targets > li').filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });
}

/** Adds a duty bearer with the form; returns its id. */
export async function addDutyBearer(page: Page, language: Language, target: DutyBearerInput): Promise<string> {
  const copy = DUTY_BEARERS_COPY[language];
  await page.getByRole('button', { name: copy.add }).click();
  await page.getByRole('textbox', { name: copy.name, exact: true }).fill(target.name);
  if (target.nameSw) await page.getByRole('textbox', { name: copy.nameSw }).fill(target.nameSw);
  if (target.office) await page.getByRole('textbox', { name: copy.office, exact: true }).fill(target.office);
  if (target.officeSw) await page.getByRole('textbox', { name: copy.officeSw }).fill(target.officeSw);
  if (target.county) {
    await page.getByRole('combobox', { name: copy.level }).selectOption('county');
    await page.getByRole('combobox', { name: copy.county, exact: true }).selectOption(target.county);
  }
  await page.getByRole('button', { name: copy.save }).click();
  const name = shownName(target, language);
  await page.getByRole('status').filter({ hasText: copy.added(name) }).waitFor();
  return (await dutyBearerEntry(page, name).getAttribute('data-target'))!;
}

/** Asks the duty bearer for every demand of the campaign (today, unless `askedOn`), with an optional due date (YYYY-MM-DD). */
export async function askDutyBearer(page: Page, language: Language, name: string, dates: { askedOn?: string; dueOn?: string } = {}): Promise<void> {
  const copy = DUTY_BEARERS_COPY[language];
  await dutyBearerEntry(page, name).getByRole('button', { name: copy.ask, exact: true }).click();
  if (dates.askedOn) await page.locator('input[name="askedOn"]').fill(dates.askedOn);
  if (dates.dueOn) await page.locator('input[name="dueOn"]').fill(dates.dueOn);
  await page.getByRole('button', { name: copy.save }).click();
  await page.getByRole('status').filter({ hasText: copy.asked(name) }).waitFor();
}

/** Opens the position form of an asked duty bearer, fills it and sends it (the caller checks the outcome). */
export async function submitPosition(page: Page, language: Language, name: string, position: PositionInput): Promise<void> {
  const copy = DUTY_BEARERS_COPY[language];
  if (!(await page.getByRole('textbox', { name: copy.evidence }).isVisible())) {
    await dutyBearerEntry(page, name).getByRole('button', { name: copy.record }).click();
  }
  await page.getByRole('combobox', { name: copy.stance, exact: true }).selectOption(position.stance);
  await page.getByRole('textbox', { name: copy.statement }).fill(position.statement);
  await page.getByRole('textbox', { name: copy.evidence }).fill(position.evidenceUrl);
  await page.getByRole('button', { name: copy.save }).click();
}

/**
 * From the console's home: opens Duty bearers, picks the campaign, adds the duty bearer, asks them for every
 * demand, and records their position with its evidence link. Returns the new duty bearer's id and the name
 * the view shows in `language`.
 */
export async function addDutyBearerWithPosition(
  page: Page,
  language: Language,
  { slug, target, position }: { slug: string; target: DutyBearerInput; position: PositionInput },
): Promise<{ targetId: string; name: string }> {
  await openDutyBearers(page, language, slug);
  const targetId = await addDutyBearer(page, language, target);
  const name = shownName(target, language);
  await askDutyBearer(page, language, name);
  await submitPosition(page, language, name, position);
  await page.getByRole('status').filter({ hasText: DUTY_BEARERS_COPY[language].recorded(name) }).waitFor();
  return { targetId, name };
}
