/** Registers <imlu-counter>. Import this file (or embed.js) for its side effect; src/index.ts registers nothing. */
import { define } from './define.ts';
import { ImluCounter } from './counter/counter.component.ts';

define('imlu-counter', ImluCounter);

declare global {
  interface HTMLElementTagNameMap {
    'imlu-counter': ImluCounter;
  }
}
