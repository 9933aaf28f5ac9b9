import { css } from 'lit';

/**
 * Layout is a single column that works from 320 px up; inputs use at least 16 px text so that phones do
 * not zoom into them. Colours come from the system tokens, each overridable per component.
 */
export const petitionStyles = css`
  :host {
    display: block;
    padding: var(--imlu-petition-padding, 1rem);
    background: var(--imlu-petition-surface, var(--_surface));
    color: var(--imlu-petition-text-color, var(--_text));
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
    color-scheme: light;
    --_text: var(--imlu-color-text, #1a1a1a);
    --_surface: var(--imlu-color-surface, #fff);
    --_primary: var(--imlu-color-primary, #5b2a86);
    --_error: var(--imlu-color-error, #b3261e);
    --_muted: var(--imlu-color-muted, #4d4d4d);
    --_border: var(--imlu-color-border, #6b6b6b);
    --_radius: var(--imlu-radius, 0.375rem);
  }
  /* Dark defaults, from the signer's setting unless the partner forces theme="light"; or theme="dark".
     Contrast on #1e1e1e: text 15:1, primary 9.6:1 (and #1e1e1e on primary), muted 9.7:1, error 7.6:1,
     borders 5.5:1. A partner who sets a --imlu-color-* token sets it for both. */
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      color-scheme: dark;
      --_text: var(--imlu-color-text, #f2f2f2);
      --_surface: var(--imlu-color-surface, #1e1e1e);
      --_primary: var(--imlu-color-primary, #cdb4f0);
      --_error: var(--imlu-color-error, #ff8a80);
      --_muted: var(--imlu-color-muted, #c4c4c4);
      --_border: var(--imlu-color-border, #8f8f8f);
    }
  }
  :host([theme='dark']) {
    color-scheme: dark;
    --_text: var(--imlu-color-text, #f2f2f2);
    --_surface: var(--imlu-color-surface, #1e1e1e);
    --_primary: var(--imlu-color-primary, #cdb4f0);
    --_error: var(--imlu-color-error, #ff8a80);
    --_muted: var(--imlu-color-muted, #c4c4c4);
    --_border: var(--imlu-color-border, #8f8f8f);
  }
  h2,
  h3,
  h4 {
    line-height: 1.25;
    margin: 1.5rem 0 0.5rem;
  }
  h2 {
    font-size: var(--imlu-petition-title-size, 1.5rem);
    margin-top: 0;
  }
  h3,
  h4 {
    font-size: 1.125rem;
  }
  p,
  ol,
  [part='progress'],
  .field {
    margin: 0 0 1rem;
  }
  [part='counter'] {
    font-weight: 700;
    margin: 0.25rem 0 0;
  }
  progress {
    display: block;
    width: 100%;
    height: 0.75rem;
    accent-color: var(--imlu-progress-color, var(--_primary));
  }
  label,
  legend {
    display: block;
    font-weight: 700;
    padding: 0;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0 0 1rem;
    min-width: 0;
  }
  .optional,
  .hint {
    color: var(--_muted);
    font-weight: 400;
  }
  .hint {
    margin: 0 0 0.25rem;
  }
  .error {
    color: var(--_error);
    font-weight: 700;
    margin: 0.25rem 0;
  }
  input,
  select,
  textarea,
  button {
    font: inherit;
    font-size: max(1rem, 16px);
  }
  input:not([type='checkbox']),
  select,
  textarea {
    display: block;
    width: 100%;
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: inherit;
  }
  [aria-invalid='true'] {
    border-color: var(--_error) !important;
    outline-color: var(--_error);
  }
  .check {
    display: flex;
    gap: 0.625rem;
    align-items: flex-start;
    margin: 0.5rem 0;
  }
  .check input {
    flex: none;
    width: 1.375rem;
    height: 1.375rem;
    margin: 0.0625rem 0 0;
    accent-color: var(--_primary);
  }
  .check label {
    font-weight: 400;
  }
  button {
    min-height: 2.75rem;
    padding: 0.5rem 1.25rem;
    border: 2px solid var(--imlu-button-background, var(--_primary));
    border-radius: var(--_radius);
    background: var(--imlu-button-background, var(--_primary));
    /* Text on primary is the surface colour unless set: white on purple, or dark on light purple. */
    color: var(--imlu-button-color, var(--imlu-color-on-primary, var(--_surface)));
    font-weight: 700;
    cursor: pointer;
  }
  button.secondary {
    background: transparent;
    color: var(--imlu-button-background, var(--_primary));
  }
  button[disabled] {
    cursor: progress;
    opacity: 0.75;
  }
  [part='submit'] {
    width: 100%;
  }
  .status:not(:empty) {
    font-weight: 700;
    margin: 0 0 1rem;
  }
  .alert {
    border-inline-start: 4px solid var(--_error);
    padding: 0.5rem 0.75rem;
    margin: 0 0 1rem;
  }
  .share {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  a {
    color: var(--_primary);
  }
  #share-link {
    flex: 1 1 12rem;
    width: auto;
  }
  .skeleton,
  .reserve {
    /* Reserve roughly the ready height so the partner's page does not jump when the campaign arrives. */
    min-height: var(--imlu-petition-skeleton-height, 73rem);
  }
  .bone {
    height: 1rem;
    margin: 0 0 0.75rem;
    border-radius: var(--_radius);
    background: var(--imlu-petition-skeleton-color, var(--_muted));
    opacity: 0.2;
  }
  /* The honeypot: off-screen rather than display:none, which some bots skip. */
  .hp {
    position: absolute;
    left: -10000px;
    width: 1px;
    height: 1px;
    overflow: hidden;
  }
  /* Classes, not style attributes: a partner's strict CSP may forbid inline styles. */
  .short {
    width: 70%;
  }
  .big {
    height: 20rem;
    margin-top: 2rem;
  }
`;
