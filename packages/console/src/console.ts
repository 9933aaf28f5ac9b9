/** The console page's one script: registers `<imlu-console>` (the page has exactly one) and its views. */
import { ImluConsoleAudit } from './audit.component.ts';
import { ImluConsoleCampaigns } from './campaigns.component.ts';
import { ImluConsole } from './console.component.ts';
import { ImluConsoleDutyBearers } from './duty-bearers.component.ts';
import { ImluConsoleExports } from './exports.component.ts';
import { ImluConsoleMilestones } from './milestones.component.ts';
import { ImluConsoleModeration } from './moderation.component.ts';
import { ImluConsoleNumbers } from './numbers.component.ts';
import { ImluConsolePartnerLinks } from './partner-links.component.ts';
import { ImluConsolePartners } from './partners.component.ts';
import { ImluConsoleTokens } from './tokens.component.ts';

const ELEMENTS = {
  'imlu-console-campaigns': ImluConsoleCampaigns,
  'imlu-console-milestones': ImluConsoleMilestones,
  'imlu-console-duty-bearers': ImluConsoleDutyBearers,
  'imlu-console-numbers': ImluConsoleNumbers,
  'imlu-console-partners': ImluConsolePartners,
  'imlu-console-partner-links': ImluConsolePartnerLinks,
  'imlu-console-moderation': ImluConsoleModeration,
  'imlu-console-exports': ImluConsoleExports,
  'imlu-console-audit': ImluConsoleAudit,
  'imlu-console-tokens': ImluConsoleTokens,
  // Last: the views exist before the shell first renders one.
  'imlu-console': ImluConsole,
} as const;

for (const [tag, element] of Object.entries(ELEMENTS)) if (!customElements.get(tag)) customElements.define(tag, element);

declare global {
  interface HTMLElementTagNameMap {
    'imlu-console': ImluConsole;
    'imlu-console-campaigns': ImluConsoleCampaigns;
    'imlu-console-milestones': ImluConsoleMilestones;
    'imlu-console-duty-bearers': ImluConsoleDutyBearers;
    'imlu-console-numbers': ImluConsoleNumbers;
    'imlu-console-partners': ImluConsolePartners;
    'imlu-console-partner-links': ImluConsolePartnerLinks;
    'imlu-console-moderation': ImluConsoleModeration;
    'imlu-console-exports': ImluConsoleExports;
    'imlu-console-audit': ImluConsoleAudit;
    'imlu-console-tokens': ImluConsoleTokens;
  }
}
