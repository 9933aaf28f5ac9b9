/**
 * What embed.js shares with its lazily loaded chunks (the petition's `./signing.ts`, the accountability
 * history `../accountability/history.ts`), handed over at run time rather than imported there: see the
 * note at the top of `./signing.ts`. Only the two elements that load a chunk import this.
 */
import { countyOptions } from '@imlu/contracts/county-names';
import { html, nothing } from 'lit';
import { endpoint, request } from '../api/client.ts';
import { countsFeed } from '../api/counts-feed.ts';
import { ImluErrorEvent } from '../events/error-event.ts';
import { formatDate, formatNumber, msgFor } from '../i18n/index.ts';

export const kit = { html, nothing, endpoint, request, countsFeed, ImluErrorEvent, formatNumber, formatDate, msgFor, countyOptions };
export type Kit = typeof kit;
