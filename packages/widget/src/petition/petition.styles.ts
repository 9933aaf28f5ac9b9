import { css } from 'lit';

/**
 * Layout is a single column that works from 320 px up; inputs use at least 16 px text so that phones do
 * not zoom into them. Colours come from the system tokens, resolved with their light and dark defaults in
 * ../styles/theme.styles.ts (shared with <imlu-accountability>), each overridable per component.
 */
export const petitionStyles = css`
  :host {
    display: block;
    padding: var(--imlu-petition-padding, 1rem);
    background: var(--imlu-petition-surface, var(--_surface));
    color: var(--imlu-petition-text-color, var(--_text));
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }
  h2 {
    font-size: var(--imlu-petition-title-size, 1.5rem);
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
  textarea {
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
    margin: 0 0 1rem;
  }
  /* A row of buttons or links that wraps on a narrow screen. */
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
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
