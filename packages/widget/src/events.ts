/**
 * The widget's public events. Each carries only what a host page needs to react (which campaign, what
 * happened) and never anything the signer typed: a partner's analytics must not become a signer list.
 */
import type { SignResponse } from '@imlu/contracts';

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

/** Fired when the API has accepted a signature. */
export class ImluSignedEvent extends CustomEvent<ImluSignedDetail> {
  static readonly eventName = 'imlu-signed';
  constructor(detail: ImluSignedDetail) {
    super(ImluSignedEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

/** Fired when loading a campaign or sending a signature failed. */
export class ImluErrorEvent extends CustomEvent<ImluErrorDetail> {
  static readonly eventName = 'imlu-error';
  constructor(detail: ImluErrorDetail) {
    super(ImluErrorEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'imlu-signed': ImluSignedEvent;
    'imlu-error': ImluErrorEvent;
  }
}
