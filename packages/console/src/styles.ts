import { css } from 'lit';

/** The console's buttons, focus ring, errors and hints: one look for the shell and every view. */
export const controls = css`
  button {
    font: inherit;
    cursor: pointer;
    border-radius: 4px;
    min-height: 2.75rem;
  }
  .primary {
    background: #0b4f33;
    color: #fff;
    border: 1px solid #0b4f33;
    padding: 0.5rem 1rem;
  }
  .secondary,
  .link {
    background: #fff;
    color: #0b4f33;
    border: 1px solid #0b4f33;
    padding: 0.5rem 1rem;
  }
  :focus-visible {
    outline: 3px solid #b35c00;
    outline-offset: 2px;
  }
  .error {
    color: #a4000f;
    font-weight: 600;
  }
  .hint {
    color: #4a4a4a;
    font-size: 0.9rem;
  }
`;
