import { css } from 'lit';

export const counterStyles = css`
  :host {
    /* Inline, unlike the petition: the counter usually sits inside a sentence or a heading. */
    display: inline-block;
    min-width: 8ch;
    min-height: 1.5em;
    font-weight: var(--imlu-counter-font-weight, 700);
    color: var(--imlu-counter-color, var(--imlu-color-text, #1a1a1a));
  }
`;
