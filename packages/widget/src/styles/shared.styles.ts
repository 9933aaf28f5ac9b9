import { css } from 'lit';

/**
 * What every element starts with: inherited properties reset (they cross the shadow boundary from the
 * partner's page), the system tokens with their defaults, `[hidden]` that really hides, a visible focus
 * ring and a visually-hidden helper.
 *
 * Default colours are chosen for contrast on white: text #1a1a1a (17:1), primary #5b2a86 (10:1),
 * muted #4d4d4d (8.5:1), error #b3261e (6.5:1), borders #6b6b6b (5.3:1).
 */
export const sharedStyles = css`
  :host {
    box-sizing: border-box;
    font-family: var(--imlu-font-family, system-ui, sans-serif);
    font-size: var(--imlu-font-size, 16px);
    line-height: 1.5;
    color: var(--imlu-color-text, #1a1a1a);
    text-align: start;
    letter-spacing: normal;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  :focus-visible {
    outline: 3px solid var(--imlu-focus-color, var(--_primary, #5b2a86));
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
