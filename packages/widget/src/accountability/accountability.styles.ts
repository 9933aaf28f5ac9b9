import { css } from 'lit';

/**
 * One column from 320 px up. Each badge carries its status in words; the colour only repeats it, and
 * every colour is a text colour on the surface (contrast in theme.styles.ts), so light and dark both pass.
 */
export const accountabilityStyles = css`
  :host {
    display: block;
    padding: var(--imlu-accountability-padding, 1rem);
    background: var(--imlu-accountability-surface, var(--_surface));
    color: var(--imlu-accountability-text-color, var(--_text));
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }
  h2 {
    font-size: 1.5rem;
  }
  p,
  ul,
  ol {
    margin: 0 0 1rem;
  }
  ul,
  ol {
    padding: 0;
    list-style: none;
  }
  li {
    margin: 0.25rem 0;
    /* A pack's SHA-256 is one 64-character word: it wraps rather than widen a 320 px column. */
    overflow-wrap: anywhere;
  }
  [part='summary'] {
    font-weight: 700;
  }
  [part='target'] {
    border-top: 1px solid var(--_border);
    padding-top: 0.5rem;
  }
  .muted {
    color: var(--_muted);
  }
  .badge {
    display: inline-block;
    padding: 0 0.375rem;
    border: 2px solid;
    border-radius: var(--_radius);
    font-size: 0.875rem;
    font-weight: 700;
    color: var(--_muted);
  }
  .asked {
    color: var(--_warning);
  }
  .acknowledged {
    color: var(--_text);
  }
  .committed {
    color: var(--_primary);
  }
  .delivered {
    color: var(--_success);
  }
  .declined,
  .broken,
  .overdue {
    color: var(--_error);
  }
  select,
  button {
    min-height: 2.75rem;
    padding: 0.5rem 0.75rem;
    border: 2px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: inherit;
  }
  button {
    border-color: var(--_primary);
    color: var(--_primary);
    font-weight: 700;
    cursor: pointer;
  }
  /* A statement on a line of its own, between the status and who recorded it. */
  q {
    display: block;
  }
  summary {
    cursor: pointer;
    padding: 0.25rem 0;
    color: var(--_primary);
  }
  .count {
    margin-top: 0.5rem;
  }
  .skeleton {
    position: relative;
    min-height: var(--imlu-accountability-skeleton-height, 60rem);
  }
  /* Grey bars where the lines will be; on a pseudo-element so the hidden text keeps full contrast. */
  .skeleton::before {
    content: '';
    position: absolute;
    inset: 0;
    background: repeating-linear-gradient(var(--_muted) 0 1rem, transparent 0 2rem);
    opacity: 0.2;
  }
`;
