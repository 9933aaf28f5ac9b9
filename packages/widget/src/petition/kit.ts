/**
 * What embed.js shares with the lazily loaded signing chunk (`./signing.ts`), handed over at run time
 * rather than imported there: see the note at the top of `./signing.ts`. Only the petition imports this.
 */
import { html, nothing } from 'lit';
import { endpoint, request } from '../api/client.ts';
import { countsFeed } from '../api/counts-feed.ts';
import { ImluErrorEvent } from '../events/error-event.ts';
import { formatNumber, msgFor } from '../i18n/index.ts';

export const kit = { html, nothing, endpoint, request, countsFeed, ImluErrorEvent, formatNumber, msgFor };
export type Kit = typeof kit;
