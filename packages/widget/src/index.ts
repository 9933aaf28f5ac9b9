/**
 * The npm entry: classes, events and types, with no side effects. Register the elements yourself with
 * `define()` under these tags, or import `@imlu/widget/imlu-petition.js` / `imlu-counter.js`.
 */
export { ImluPetition } from './petition/petition.component.ts';
export { ImluCounter } from './counter/counter.component.ts';
export { ImluAccountability } from './accountability/accountability.component.ts';
export { ImluSignedEvent, ImluErrorEvent, type ImluSignedDetail, type ImluErrorDetail } from './events.ts';
export { define } from './define.ts';
export { VERSION } from './version.ts';
export type { Locale } from './i18n/index.ts';
export type { Campaign, Counts, SignResponse } from '@imlu/contracts';
export type { Accountability } from '@imlu/contracts';
