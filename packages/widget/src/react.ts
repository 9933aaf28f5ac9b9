/**
 * JSX types for React 19, which renders custom elements directly: properties are set as properties, and a
 * function prop named `on` + event name listens for that event (`onimlu-signed` → `imlu-signed`).
 * Import once, for types only: `import type {} from '@imlu/widget/react';`. No code, no side effects.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ImluErrorEvent, ImluSignedEvent } from './events.ts';
import type { ImluAccountability, AccountabilityFilter } from './accountability/accountability.component.ts';
import type { ImluCounter } from './counter/counter.component.ts';
import type { ImluPetition } from './petition/petition.component.ts';

type Base<E extends HTMLElement> = Omit<DetailedHTMLProps<HTMLAttributes<E>, E>, 'lang'> & {
  /** `sw` (or any `sw-*` tag) for Kiswahili; otherwise the closest ancestor's `lang`, then `<html lang>`. */
  lang?: string;
};

export interface ImluPetitionProps extends Base<ImluPetition> {
  campaign: string;
  api: string;
  source?: string;
  theme?: 'light' | 'dark';
  'onimlu-signed'?: (event: ImluSignedEvent) => void;
  'onimlu-error'?: (event: ImluErrorEvent) => void;
}

export interface ImluCounterProps extends Base<ImluCounter> {
  campaign: string;
  api: string;
}

export interface ImluAccountabilityProps extends Base<ImluAccountability> {
  campaign: string;
  api: string;
  /** The initial filter: '' (everyone), 'overdue', or a status held on at least one demand. */
  status?: AccountabilityFilter;
  theme?: 'light' | 'dark';
  'onimlu-error'?: (event: ImluErrorEvent) => void;
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX types live in this namespace.
  namespace JSX {
    interface IntrinsicElements {
      'imlu-petition': ImluPetitionProps;
      'imlu-counter': ImluCounterProps;
      'imlu-accountability': ImluAccountabilityProps;
    }
  }
}
