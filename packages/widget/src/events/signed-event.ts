// One class per file: embed.js fires only ImluErrorEvent, the signing chunk ImluSignedEvent, and a module
// shared by both would be split into a third file (see petition/signing.ts). Types and docs: ../events.ts.
import type { ImluSignedDetail } from '../events.ts';

/** Fired when the API has accepted a signature. */
export class ImluSignedEvent extends CustomEvent<ImluSignedDetail> {
  static readonly eventName = 'imlu-signed';
  constructor(detail: ImluSignedDetail) {
    super(ImluSignedEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

