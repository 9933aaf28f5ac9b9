/** Registers <imlu-petition>. Import this file (or embed.js) for its side effect; src/index.ts registers nothing. */
import { define } from './define.ts';
import { ImluPetition } from './petition/petition.component.ts';

define('imlu-petition', ImluPetition);

declare global {
  interface HTMLElementTagNameMap {
    'imlu-petition': ImluPetition;
  }
}
