/**
 * The widget's public events. Each carries only what a host page needs to react (which campaign, what
 * happened) and never anything the signer typed: a partner's analytics must not become a signer list.
 */
import type { SignResponse } from '@imlu/contracts';
import type { ImluErrorEvent } from './events/error-event.ts';
import type { ImluSignedEvent } from './events/signed-event.ts';

export { ImluErrorEvent } from './events/error-event.ts';
export { ImluSignedEvent } from './events/signed-event.ts';

export interface ImluSignedDetail {
  /** Campaign slug. */
  readonly campaign: string;
  /** `pending_verification` or `counted`; the same for a new signature and a duplicate. */
  readonly status: SignResponse['status'];
}

export interface ImluErrorDetail {
  /** Campaign slug. */
  readonly campaign: string;
  /**
   * The API's problem type (`urn:imlu:problem:validation` …), `about:blank` for an HTTP error without a
   * problem body, or `network` when the API could not be reached (then `status` is 0).
   */
  readonly type: string;
  /** HTTP status, 0 for a network failure. */
  readonly status: number;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'imlu-signed': ImluSignedEvent;
    'imlu-error': ImluErrorEvent;
  }
}
