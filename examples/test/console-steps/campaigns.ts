/**
 * Steps that drive the console's Campaigns view in the browser, for the end-to-end tests (and the lead's
 * whole-flow test). Each starts from where the previous left the page and waits for what it did to show.
 */
import type { Page } from 'playwright-core';

export type Language = 'en' | 'sw';

/** The words the steps look for, as packages/console shows them. */
export const CAMPAIGNS_COPY = {
  en: {
    view: 'Campaigns',
    welcome: 'Welcome',
    back: 'Back to your views',
    list: 'All campaigns',
    newCampaign: 'New campaign',
    newTitle: 'New campaign',
    edit: 'Edit',
    viewTitle: 'Campaign',
    create: 'Create campaign',
    save: 'Save changes',
    slug: 'Short name in the address (slug)',
    status: 'Status',
    goal: 'Goal (signatures)',
    verification: 'How signers confirm',
    addDemand: 'Add a demand',
    errors: 'Check these fields: nothing was saved',
  },
  sw: {
    view: 'Kampeni',
    welcome: 'Karibu',
    back: 'Rudi kwenye sehemu zako',
    list: 'Kampeni zote',
    newCampaign: 'Kampeni mpya',
    newTitle: 'Kampeni mpya',
    edit: 'Hariri',
    viewTitle: 'Kampeni',
    create: 'Unda kampeni',
    save: 'Hifadhi mabadiliko',
    slug: 'Jina fupi kwenye anwani (slug)',
    status: 'Hali',
    goal: 'Lengo (sahihi)',
    verification: 'Jinsi watia sahihi wanavyothibitisha',
    addDemand: 'Ongeza dai',
    errors: 'Angalia sehemu hizi: hakuna kilichohifadhiwa',
  },
} as const;

export interface Both {
  en: string;
  sw: string;
}

export interface NewCampaign {
  slug: string;
  title: Both;
  /** Default: the title. */
  summary?: Both;
  /** Default: the summary. */
  body?: Both;
  demands?: Both[];
  goal?: number | null;
  kind?: 'petition' | 'pledge';
  /** Default `open`: the campaign takes signatures at once. */
  status?: 'draft' | 'open' | 'closed';
  /**
   * Default `none`, so a demo signature counts without an SMS or e-mail round trip (the form's own default
   * is `either`, and it warns about `none`).
   */
  verification?: 'either' | 'email' | 'sms' | 'none';
}

/** The view's root, to find inputs by id (labels repeat: English and Kiswahili under each text). */
const view = (page: Page) => page.locator('imlu-console-campaigns');

/** From the console home, opens the Campaigns view and waits for its list. */
export async function openCampaigns(page: Page, language: Language): Promise<void> {
  const copy = CAMPAIGNS_COPY[language];
  await page.getByRole('button', { name: copy.view, exact: true }).click();
  await page.getByRole('heading', { level: 2, name: copy.list }).waitFor();
}

/** From the Campaigns view, back to the console home. */
export async function backHome(page: Page, language: Language): Promise<void> {
  const copy = CAMPAIGNS_COPY[language];
  await page.getByRole('button', { name: copy.back }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(`^${copy.welcome}, `) }).waitFor();
}

/** Opens the new-campaign form and fills it in both languages (nothing saved yet). */
export async function fillNewCampaign(page: Page, language: Language, campaign: NewCampaign): Promise<void> {
  const copy = CAMPAIGNS_COPY[language];
  await page.getByRole('button', { name: copy.newCampaign }).click();
  await page.getByRole('heading', { level: 2, name: copy.newTitle }).waitFor();
  const root = view(page);
  const summary = campaign.summary ?? campaign.title;
  const body = campaign.body ?? summary;
  await root.locator('#slug').fill(campaign.slug);
  await root.locator('#kind').selectOption(campaign.kind ?? 'petition');
  await root.locator('#status').selectOption(campaign.status ?? 'open');
  for (const lang of ['en', 'sw'] as const) {
    await root.locator(`#title-${lang}`).fill(campaign.title[lang]);
    await root.locator(`#summary-${lang}`).fill(summary[lang]);
    await root.locator(`#body-${lang}`).fill(body[lang]);
  }
  for (const [index, demand] of (campaign.demands ?? []).entries()) {
    await page.getByRole('button', { name: copy.addDemand }).click();
    await root.locator(`#demands-${index}-en`).fill(demand.en);
    await root.locator(`#demands-${index}-sw`).fill(demand.sw);
  }
  await root.locator('#goal').fill(campaign.goal === undefined || campaign.goal === null ? '' : String(campaign.goal));
  await root.locator('#verification').selectOption(campaign.verification ?? 'none');
}

/** Saves the form and waits for the list again (the save worked) — or throws, with the error summary's text. */
export async function saveAndWaitForList(page: Page, language: Language, button: 'create' | 'save'): Promise<void> {
  const copy = CAMPAIGNS_COPY[language];
  await view(page).getByRole('button', { name: copy[button], exact: true }).click();
  const listed = page.getByRole('heading', { level: 2, name: copy.list });
  const refused = view(page).locator('#error-summary');
  await listed.or(refused).waitFor();
  if (await refused.isVisible()) throw new Error(`the campaign was not saved: ${await refused.innerText()}`);
}

/**
 * From the console home: opens Campaigns, creates the campaign in both languages (open, and signable without
 * SMS or e-mail unless `verification` says otherwise), and returns once it is listed. Ends on the list.
 */
export async function createCampaign(page: Page, language: Language, campaign: NewCampaign): Promise<void> {
  await openCampaigns(page, language);
  await fillNewCampaign(page, language, campaign);
  await saveAndWaitForList(page, language, 'create');
  await view(page).locator(`li[data-slug="${campaign.slug}"]`).waitFor();
}

/** From the list: opens a campaign's form ("Edit"). */
export async function editCampaign(page: Page, language: Language, slug: string): Promise<void> {
  const copy = CAMPAIGNS_COPY[language];
  await view(page).locator(`li[data-slug="${slug}"]`).getByRole('button').click();
  await page.getByRole('heading', { level: 2, name: new RegExp(`^(${copy.edit}|${copy.viewTitle}): `) }).waitFor();
}

/** From the list: changes a campaign's goal and saves; ends on the list. */
export async function changeGoal(page: Page, language: Language, slug: string, goal: number): Promise<void> {
  await editCampaign(page, language, slug);
  await view(page).locator('#goal').fill(String(goal));
  await saveAndWaitForList(page, language, 'save');
}
