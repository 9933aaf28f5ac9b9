// One class per file: see ./signed-event.ts. Types and docs: ../events.ts.
import type { ImluErrorDetail } from '../events.ts';

/** Fired when loading a campaign or sending a signature failed. */
export class ImluErrorEvent extends CustomEvent<ImluErrorDetail> {
  static readonly eventName = 'imlu-error';
  constructor(detail: ImluErrorDetail) {
    super(ImluErrorEvent.eventName, { bubbles: true, composed: true, detail });
  }
}

