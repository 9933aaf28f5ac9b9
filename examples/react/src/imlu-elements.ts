/**
 * JSX types for the IMLU elements. A project that installs `@imlu/widget` gets the element classes from
 * it; this example loads embed.js from the API instead, so it declares the attributes it uses.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

type ElementProps = DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & { campaign: string; api: string };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'imlu-petition': ElementProps & {
        source?: string;
        theme?: 'light' | 'dark';
        'onimlu-signed'?: (event: CustomEvent<{ campaign: string; status: string }>) => void;
        'onimlu-error'?: (event: CustomEvent<{ campaign: string; type: string; status: number }>) => void;
      };
      'imlu-counter': ElementProps;
    }
  }
}
