/** The console page's one script: registers `<imlu-console>` (the page has exactly one). */
import { ImluConsoleAudit } from './audit.component.ts';
import { ImluConsole } from './console.component.ts';
import { ImluConsoleNumbers } from './numbers.component.ts';
import { ImluConsolePartners } from './partners.component.ts';

if (!customElements.get('imlu-console-numbers')) customElements.define('imlu-console-numbers', ImluConsoleNumbers);
if (!customElements.get('imlu-console-audit')) customElements.define('imlu-console-audit', ImluConsoleAudit);
if (!customElements.get('imlu-console-partners')) customElements.define('imlu-console-partners', ImluConsolePartners);
if (!customElements.get('imlu-console')) customElements.define('imlu-console', ImluConsole);

declare global {
  interface HTMLElementTagNameMap {
    'imlu-console': ImluConsole;
    'imlu-console-numbers': ImluConsoleNumbers;
    'imlu-console-partners': ImluConsolePartners;
    'imlu-console-audit': ImluConsoleAudit;
  }
}
