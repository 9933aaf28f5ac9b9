import { css } from 'lit';

/** The dark values of the system tokens, written once and used under both selectors below. */
const dark = css`
  color-scheme: dark;
  --_text: var(--imlu-color-text, #f2f2f2);
  --_surface: var(--imlu-color-surface, #1e1e1e);
  --_primary: var(--imlu-color-primary, #cdb4f0);
  --_error: var(--imlu-color-error, #ff8a80);
  --_muted: var(--imlu-color-muted, #c4c4c4);
  --_border: var(--imlu-color-border, #8f8f8f);
  --_success: var(--imlu-color-success, #7ddc8f);
  --_warning: var(--imlu-color-warning, #f5c16c);
`;

/**
 * The system tokens (`--imlu-color-*`, `--imlu-radius`) resolved into private `--_*` variables, light by
 * default, dark from the reader's `prefers-color-scheme` unless `theme="light"`, or forced by
 * `theme="dark"`: the same contract and defaults as `<imlu-petition>` (petition.styles.ts), plus the
 * success and warning colours that status badges need. A partner who sets a token sets it for both.
 *
 * Contrast of every default text colour on its surface is at least 4.5:1: on #fff, text 17:1, primary
 * 10:1, muted 8.5:1, error 6.5:1, success #1b6e33 6.3:1, warning #8a4b00 6.8:1; on #1e1e1e, text 15:1,
 * primary 9.6:1, muted 9.7:1, error 7.6:1, success 10:1, warning 10:1.
 */
export const themeStyles = css`
  :host {
    color-scheme: light;
    --_text: var(--imlu-color-text, #1a1a1a);
    --_surface: var(--imlu-color-surface, #fff);
    --_primary: var(--imlu-color-primary, #5b2a86);
    --_error: var(--imlu-color-error, #b3261e);
    --_muted: var(--imlu-color-muted, #4d4d4d);
    --_border: var(--imlu-color-border, #6b6b6b);
    --_success: var(--imlu-color-success, #1b6e33);
    --_warning: var(--imlu-color-warning, #8a4b00);
    --_radius: var(--imlu-radius, 6px);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  /* What both surfaces' contents share; each element's own sheet comes after and may refine it. */
  h2,
  h3,
  h4 {
    line-height: 1.25;
    margin: 24px 0 8px;
  }
  h2 {
    margin-top: 0;
  }
  h3,
  h4 {
    font-size: 18px;
  }
  label,
  legend {
    display: block;
    font-weight: 700;
  }
  input,
  select,
  textarea,
  button {
    font: inherit;
    font-size: max(1em, 16px);
  }
  a {
    color: var(--_primary);
  }
  .alert {
    border-inline-start: 4px solid var(--_error);
    padding: 8px 12px;
  }
`;
