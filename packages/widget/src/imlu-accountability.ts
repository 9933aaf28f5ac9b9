/** Registers <imlu-accountability>. Import this file (or embed.js) for its side effect; src/index.ts registers nothing. */
import { define } from './define.ts';
import { ImluAccountability } from './accountability/accountability.component.ts';

define('imlu-accountability', ImluAccountability);

declare global {
  interface HTMLElementTagNameMap {
    'imlu-accountability': ImluAccountability;
  }
}
