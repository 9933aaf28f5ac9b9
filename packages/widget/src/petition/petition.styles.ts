import { css } from 'lit';

/**
 * Layout is a single column that works from 320 px up; inputs use at least 16 px text so that phones do
 * not zoom into them. Sizes are in px, not rem: a host page with `html { font-size: 62.5% }` would shrink
 * rem-sized text to 10 px; px still follows the reader's zoom, and `--imlu-font-size` still sets the text. Colours come from the system tokens, resolved with their light and dark defaults in
 * ../styles/theme.styles.ts (shared with <imlu-accountability>), each overridable per component.
 */
export const petitionStyles = css`
  :host {
    display: block;
    background: var(--imlu-petition-surface, var(--_surface));
    color: var(--imlu-petition-text-color, var(--_text));
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
    /* The height the page reserved is also the least the petition takes once shown, so that the page
       does not move whichever fonts the device has, as long as the reservation has room (docs/embedding.md). */
    min-height: var(--imlu-petition-skeleton-height, 0);
    /* The narrow layout follows the petition's own width (a sidebar on a wide page is narrow too). */
    container: imlu-petition / inline-size;
  }
  /* The padding is inside the host's box, so that while loading (.reserve) the same height holds it all. */
  :host > div {
    padding: var(--imlu-petition-padding, 16px);
  }
  h2 {
    font-size: var(--imlu-petition-title-size, 24px);
  }
  p,
  ol,
  details,
  [part='progress'],
  .field,
  .alert {
    margin: 0 0 16px;
  }
  [part='counter'] {
    font-weight: 700;
    margin: 4px 0 0;
  }
  progress {
    display: block;
    width: 100%;
    height: 12px;
    accent-color: var(--imlu-progress-color, var(--_primary));
  }
  legend {
    padding: 0;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0 0 16px;
    min-width: 0;
  }
  .optional,
  .hint {
    color: var(--_muted);
    font-weight: 400;
  }
  .hint {
    margin: 0 0 4px;
  }
  .error {
    color: var(--_error);
    font-weight: 700;
    margin: 4px 0;
  }
  input:not([type='checkbox']),
  select,
  textarea {
    display: block;
    width: 100%;
    min-height: 44px;
    padding: 8px 12px;
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
    gap: 10px;
    align-items: flex-start;
    margin: 8px 0;
  }
  .check input {
    flex: none;
    width: 24px;
    height: 24px;
    margin: 0;
    accent-color: var(--_primary);
  }
  .check label {
    font-weight: 400;
  }
  button {
    min-height: 44px;
    padding: 8px 20px;
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
  /* Every status is a <p>, with its margin. */
  .status,
  summary {
    font-weight: 700;
  }
  /* A row of buttons or links that wraps on a narrow screen. */
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  #share-link {
    flex: 1 1 192px;
    width: auto;
  }
  .reserve {
    /* Without the token, roughly a four-demand petition. */
    min-height: var(--imlu-petition-skeleton-height, 1168px);
  }
  .bone {
    height: 16px;
    border-radius: var(--_radius);
    background: var(--imlu-petition-skeleton-color, var(--_muted));
    opacity: 0.2;
  }
  /* The honeypot: off-screen rather than display:none, which some bots skip. */
  .hp {
    left: -10000px;
  }
  /* "Read more" is for narrow screens only: wide, the summary is always whole. */
  .more {
    display: none;
  }
  /*
   * A compact first screen on a phone: the form's first field within the first ~440 px of the petition
   * (examples/test/first-screen.e2e.test.ts), so that a partner's header and heading still leave it on a
   * 740 px high screen. A smaller title, the summary's first three lines, a smaller milestone line and
   * tighter gaps; the demands are folded at every width.
   */
  @container imlu-petition (max-width: 480px) {
    h2 {
      font-size: var(--imlu-petition-title-size, 20px);
      margin-bottom: 8px;
    }
    p,
    ol,
    details,
    [part='progress'],
    .field {
      margin-bottom: 12px;
    }
    .folded {
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 3;
      overflow: hidden;
      margin-bottom: 0;
    }
    .more {
      display: block;
      min-height: 24px;
      margin: 0 0 12px;
      padding: 0;
      border: 0;
      background: none;
      color: var(--_primary);
      font-weight: 400;
      text-decoration: underline;
    }
    #milestone-next {
      font-size: 14px;
    }
    #form-heading {
      margin: 0 0 8px;
    }
  }
  /* Classes, not style attributes: a partner's strict CSP may forbid inline styles. */
`;
